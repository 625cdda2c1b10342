import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type Installed = { readonly ok: true } | { readonly ok: false; readonly reason: string }

const INSTALL_TIMEOUT_MS = 10 * 60_000

/**
 * Installs `dependencies` (exact versions or tarball paths) into a project of their own under the
 * bench's cache (e.g. .bench/peers), never into this repository's: the tools the bench compares
 * against are not ours to depend on. Reused while its manifest is unchanged. Without a registry
 * (offline, no cache) it answers why instead of throwing, so that a scenario can say so and skip.
 */
export async function npmInstall(
  dir: string,
  dependencies: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<Installed> {
  const manifest = `${JSON.stringify({ name: 'cloudpartner-bench-cache', private: true, dependencies }, null, 2)}\n`
  const manifestFile = join(dir, 'package.json')
  const stamp = join(dir, 'node_modules', '.installed-manifest.json')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === manifest) return { ok: true }
  mkdirSync(dir, { recursive: true })
  writeFileSync(manifestFile, manifest)
  log(
    `npm install in ${dir}: ${Object.entries(dependencies)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}`,
  )
  const started = performance.now()
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'],
      { cwd: dir, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    )
  })
  if (result.code !== 0) {
    const last = result.output.trim().split('\n').slice(-3).join(' / ')
    return { ok: false, reason: `npm install failed (no registry?): ${last}` }
  }
  writeFileSync(stamp, manifest)
  log(`installed in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return { ok: true }
}
