import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ROOT } from '../helpers/import-graph.ts'
import { runOk, userEnv } from './processes.ts'

/**
 * The two packages as a user gets them (ADR 0006): `npm pack` of this repository (cloudpartner) and
 * of packages/sdk (cloudpartner-sdk), each built by its prepack, then installed into fresh projects
 * outside the repository, from npm's cache where it holds the dependencies.
 */
export interface Packed {
  readonly tarball: string
  readonly files: readonly string[]
  /** Bytes of the .tgz. */
  readonly size: number
  readonly unpackedSize: number
}

export async function pack(packageDir: string, destination: string): Promise<Packed> {
  const { stdout } = await runOk('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: packageDir,
    // The packages build with the repository's TypeScript, on the pinned Node.
    env: { ...userEnv(), PATH: `${join(ROOT, 'node_modules/.bin')}:${userEnv().PATH}` },
    timeoutMs: 300_000,
  })
  const [result] = JSON.parse(stdout) as {
    filename: string
    size: number
    unpackedSize: number
    files: { path: string }[]
  }[]
  if (result === undefined) throw new Error(`npm pack printed no result:\n${stdout}`)
  return {
    tarball: join(destination, result.filename),
    files: result.files.map((file) => file.path).sort(),
    size: result.size,
    unpackedSize: result.unpackedSize,
  }
}

export const SERVER_PACKAGE_DIR = ROOT
export const SDK_PACKAGE_DIR = join(ROOT, 'packages/sdk')

/** The version of a package this repository installed, so that npm finds it in its cache. */
export async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'))
  return manifest.version as string
}

/** A new project in `dir` with the given packages installed; resolves with the time npm took. */
export async function installProject(dir: string, specs: readonly string[]): Promise<number> {
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`,
  )
  const { ms } = await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], {
    cwd: dir,
    timeoutMs: 300_000,
  })
  return ms
}

/** Bytes and files under a directory (a project's node_modules), as `du` counts file sizes. */
export async function footprint(dir: string): Promise<{ bytes: number; files: number }> {
  const { readdir } = await import('node:fs/promises')
  let bytes = 0
  let files = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    files += 1
    bytes += (await stat(join(entry.parentPath, entry.name))).size
  }
  return { bytes, files }
}
