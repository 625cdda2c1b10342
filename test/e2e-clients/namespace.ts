import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cleanEnv } from '../helpers/cli-process.ts'

/**
 * Running a command against a server under the real host names, inside a network namespace that
 * scripts/netns-run.sh creates, so that nothing can leave the machine: what the end-to-end tests of
 * unmodified clients and of Azure's client libraries share.
 */
const SCRIPT = fileURLToPath(new URL('../../scripts/netns-run.sh', import.meta.url))
export const PYTHON = '/usr/bin/python3'
export const RUN_TIMEOUT_MS = 120_000

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `command` through netns-run.sh with `options`; the server's stores are under `dir`. */
export async function inNamespace(
  dir: string,
  options: readonly string[],
  command: readonly string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const child = spawn('bash', [SCRIPT, ...options, '--', ...command], {
    cwd: dir,
    env: cleanEnv({
      ...env,
      CLOUDPARTNER_NODE: process.execPath,
      CLOUDPARTNER_DATA_DIR: `${dir}/data`,
      CLOUDPARTNER_CA_DIR: `${dir}/ca`,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: RUN_TIMEOUT_MS,
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  return { code, stdout, stderr }
}

/** Creates the local CA and server certificate in `${dir}/ca`; answers the CA's path. */
export function createCertificates(dir: string, cliMain: string): string {
  const cert = spawnSync(process.execPath, [cliMain, 'cert', '--ca-dir', `${dir}/ca`, '--json'], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  })
  assert.equal(cert.status, 0, cert.stderr)
  return (JSON.parse(cert.stdout) as { caCertificate: string }).caCertificate
}

/**
 * What running in a namespace needs from the machine, and how to get it, as messages; none when all
 * is there. `python` lists modules /usr/bin/python3 must import, with the Debian packages to install.
 */
export function missingPrerequisites(python: readonly (readonly [string, string])[]): string[] {
  const problems: string[] = []
  const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
  for (const [tool, pkg] of [
    ['unshare', 'util-linux'],
    ['mount', 'mount'],
    ['ip', 'iproute2'],
    ['curl', 'curl'],
  ] as const) {
    if (!has(tool)) problems.push(`'${tool}' (apt-get install ${pkg})`)
  }
  for (const [module, packages] of python) {
    if (spawnSync(PYTHON, ['-c', `import ${module}`]).status !== 0)
      problems.push(`${PYTHON} with ${module} (apt-get install ${packages})`)
  }
  if (problems.length === 0) {
    const root = process.getuid?.() === 0
    const probe = spawnSync(
      'unshare',
      [...(root ? [] : ['--user', '--map-root-user']), '--net', '--mount', 'true'],
      { encoding: 'utf8' },
    )
    if (probe.status !== 0)
      problems.push(`network namespaces (unshare --net --mount failed: ${probe.stderr.trim()}; run as root)`)
  }
  return problems
}

export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}
