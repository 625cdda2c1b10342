import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { ROOT } from '../helpers/import-graph.ts'
import { type Run, run, runOk } from './processes.ts'

/**
 * Podman as shared/containers.md runs it on our machines: runc, no default ulimits, from a
 * containers.conf of the test's own (the machine's /etc/containers is left alone), on base images
 * assembled from Debian packages (deploy/assemble-base-images.sh).
 */
const NODE_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: { node: string }
  }
).devDependencies.node
export const NODE_BASE = `localhost/cloudpartner-node-base:${NODE_VERSION}`
export const COMPOSE_DEPS = 'localhost/cloudpartner-compose-deps:bookworm'
export const IMAGE = 'localhost/cloudpartner:test'

export async function podmanEnv(dir: string): Promise<NodeJS.ProcessEnv> {
  const conf = join(dir, 'containers.conf')
  await writeFile(conf, '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n')
  const env: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: conf }
  for (const name of Object.keys(env)) if (name.startsWith('CLOUDPARTNER_')) delete env[name]
  return env
}

export function podman(env: NodeJS.ProcessEnv, args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return runOk('podman', args, { cwd: ROOT, env, timeoutMs })
}

export async function podmanAvailable(): Promise<boolean> {
  try {
    return (await run('podman', ['--version'], { cwd: ROOT })).code === 0
  } catch {
    return false
  }
}

/** Assembles the base images unless present; builds the image from the repository's Dockerfile. */
export async function buildImage(env: NodeJS.ProcessEnv): Promise<{ assembleMs: number; buildMs: number }> {
  const assembled = await runOk('bash', ['deploy/assemble-base-images.sh'], {
    cwd: ROOT,
    env,
    timeoutMs: 900_000,
  })
  const built = await podman(
    env,
    ['build', '--format', 'docker', '--build-arg', `BASE=${NODE_BASE}`, '--tag', IMAGE, '.'],
    900_000,
  )
  return { assembleMs: assembled.ms, buildMs: built.ms }
}

/** A port no one listens on now, for a container's published port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** Polls until `url` answers 200 (a container starting, a load balancer finding its replicas). */
export async function waitUntilOk(url: string, timeoutMs = 120_000): Promise<number> {
  const started = Date.now()
  let last = ''
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (response.status === 200) return Date.now() - started
      last = `${response.status}`
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000}s (last: ${last})`)
}

/**
 * What a production deployment does first (README, "In a container"): the publisher, then a
 * principal granted on it, created with the CLI inside a running container; resolves with a
 * token for it from the server's token service at `url`.
 */
export async function registerAndGetToken(
  env: NodeJS.ProcessEnv,
  container: string,
  url: string,
): Promise<string> {
  await podman(env, ['exec', container, 'cloudpartner', 'publishers', 'create', 'contoso'])
  const { stdout } = await podman(env, [
    'exec',
    container,
    'cloudpartner',
    'principals',
    'create',
    '--display-name',
    'ci',
    '--grant',
    'contoso',
    '--json',
  ])
  return tokenFor(url, JSON.parse(stdout) as Credentials)
}

interface Credentials {
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret: string
}

export async function tokenFor(url: string, credentials: Credentials): Promise<string> {
  const response = await fetch(`${url}/${credentials.tenantId}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      resource: 'https://cloudpartner.azure.com',
    }),
  })
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { access_token: string }).access_token
}
