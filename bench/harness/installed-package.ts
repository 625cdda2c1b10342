import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pack } from '../../test/distribution/packages.ts'
import { npmInstall } from './npm-install.ts'

export type InstalledPackage =
  | { readonly ok: true; readonly projectDir: string; readonly bin: string; readonly tarballBytes: number }
  | { readonly ok: false; readonly reason: string }

/**
 * The tree's package as users get it: `npm pack` (its prepack builds dist/), then installed into a
 * project of its own under the bench's cache, from npm's cache where it holds the dependencies.
 * What runs is `node_modules/cloudpartner/bin/cloudpartner.js`, which `npx cloudpartner` runs.
 */
export async function installedPackage(
  serverDir: string,
  cacheDir: string,
  runDir: string,
  log: (line: string) => void,
): Promise<InstalledPackage> {
  if (!existsSync(join(serverDir, 'tsconfig.build.json')))
    return { ok: false, reason: `${serverDir} builds no package (no tsconfig.build.json)` }
  log(`npm pack ${serverDir}`)
  let packed: Awaited<ReturnType<typeof pack>>
  try {
    packed = await pack(serverDir, runDir)
  } catch (error) {
    return { ok: false, reason: `npm pack failed: ${(error as Error).message.split('\n')[0]}` }
  }
  const installed = await npmInstall(cacheDir, { cloudpartner: `file:${packed.tarball}` }, log)
  if (!installed.ok) return installed
  return {
    ok: true,
    projectDir: cacheDir,
    bin: join(cacheDir, 'node_modules', 'cloudpartner', 'bin', 'cloudpartner.js'),
    tarballBytes: packed.size,
  }
}
