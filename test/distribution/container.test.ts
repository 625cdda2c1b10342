import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT } from '../helpers/import-graph.ts'
import {
  buildImage,
  COMPOSE_DEPS,
  freePort,
  IMAGE,
  podman,
  podmanAvailable,
  podmanEnv,
  registerAndGetToken,
  waitUntilOk,
} from './podman.ts'
import { run, runOk } from './processes.ts'

/**
 * The container image and the compose stack, built and run for real with podman (issue 11): the
 * Dockerfile built on the assembled Debian base, one container run on a port of its choosing with
 * a volume, then the compose stack (three replicas on one PostgreSQL behind HAProxy). Without
 * podman the tests are skipped, unless CLOUDPARTNER_REQUIRE_CONTAINERS is set (.ci/run sets it).
 */
const available = await podmanAvailable()
if (!available && process.env.CLOUDPARTNER_REQUIRE_CONTAINERS)
  throw new Error('podman is required (CLOUDPARTNER_REQUIRE_CONTAINERS); .ci/run installs it')
const skip = available ? false : 'podman is not installed (.ci/run installs it; shared/containers.md)'
const suffix = randomBytes(4).toString('hex')
let dir: string
let env: NodeJS.ProcessEnv

before(async () => {
  if (skip) return
  dir = await mkdtemp(join(tmpdir(), 'cloudpartner-containers-'))
  env = await podmanEnv(dir)
  await buildImage(env)
})

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('the image: non-root, a volume, both ports, a HEALTHCHECK, OCI labels, the pinned Node', {
  skip,
}, async () => {
  const { stdout } = await podman(env, ['image', 'inspect', IMAGE])
  const [image] = JSON.parse(stdout) as {
    Config: {
      User: string
      Volumes: Record<string, unknown>
      ExposedPorts: Record<string, unknown>
      Labels: Record<string, string>
    }
    /** Podman reports the HEALTHCHECK of a docker-format image here, not in Config. */
    Healthcheck?: { Test: string[] }
  }[]
  assert.ok(image)
  assert.equal(image.Config.User, 'node')
  assert.deepEqual(Object.keys(image.Config.Volumes), ['/data'])
  assert.deepEqual(Object.keys(image.Config.ExposedPorts).sort(), ['8080/tcp', '8443/tcp'])
  assert.deepEqual(image.Healthcheck?.Test, ['CMD', 'node', '/app/deploy/healthcheck.js'])
  for (const label of ['title', 'description', 'version', 'licenses', 'source'])
    assert.ok(image.Config.Labels[`org.opencontainers.image.${label}`], label)
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
  assert.equal(image.Config.Labels['org.opencontainers.image.version'], manifest.version)
  const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8')
  assert.match(
    dockerfile,
    new RegExp(`^ARG BASE=docker\\.io/library/node:${manifest.devDependencies.node}-bookworm-slim$`, 'm'),
  )
})

test('a container: healthy on another port, a principal from the CLI inside it, data kept across a SIGTERM stop', {
  skip,
}, async () => {
  const name = `cloudpartner-test-${suffix}`
  const volume = `cloudpartner-test-data-${suffix}`
  const port = await freePort()
  const cleanup = async () => {
    await run('podman', ['rm', '--force', '--volumes', name], { cwd: ROOT, env })
    await run('podman', ['volume', 'rm', '--force', volume], { cwd: ROOT, env })
  }
  try {
    // Port 9090, not the image's 8080: the HEALTHCHECK finds the port the server listens on.
    await podman(env, [
      'run',
      '--detach',
      '--name',
      name,
      '--env',
      'CLOUDPARTNER_PORT=9090',
      '--publish',
      `127.0.0.1:${port}:9090`,
      '--volume',
      `${volume}:/data`,
      IMAGE,
    ])
    const url = `http://127.0.0.1:${port}`
    await waitUntilOk(`${url}/health/ready`)
    await podman(env, ['healthcheck', 'run', name])
    const user = await podman(env, ['exec', name, 'id', '-un'])
    assert.equal(user.stdout.trim(), 'node')
    const token = await registerAndGetToken(env, name, url)
    const offers = () =>
      fetch(`${url}/api/publishers/contoso/offers?api-version=2017-10-31`, {
        headers: { authorization: `Bearer ${token}` },
      })
    assert.equal((await offers()).status, 200)

    const stopped = await podman(env, ['stop', '--time', '15', name])
    assert.ok(stopped.ms < 15_000, `stopped in ${stopped.ms} ms, past the grace period`)
    const exit = await podman(env, ['inspect', '--format', '{{.State.ExitCode}}', name])
    assert.equal(exit.stdout.trim(), '0')
    const logs = await podman(env, ['logs', name])
    assert.match(
      logs.stderr + logs.stdout,
      /SIGTERM received: finishing in-flight requests, then closing\.\nClosed\./,
    )
    // The welcome message's registration commands work as printed inside the container.
    assert.match(logs.stderr + logs.stdout, /\n {2}cloudpartner principals create /)

    await podman(env, ['start', name])
    await waitUntilOk(`${url}/health/ready`)
    // The same token: the principal, the publisher and the signing keys are in the volume.
    assert.equal((await offers()).status, 200)
  } finally {
    await cleanup()
  }
})

test('the compose stack: three replicas on one PostgreSQL behind HAProxy, one master key from a secret', {
  skip,
}, async () => {
  const project = `cptest${suffix}`
  const stack = join(dir, 'stack')
  await mkdir(join(stack, 'deploy'), { recursive: true })
  for (const file of ['compose.yaml', 'deploy/haproxy.cfg', 'deploy/init-secrets.sh'])
    await copyFile(join(ROOT, file), join(stack, file))
  await runOk('sh', ['deploy/init-secrets.sh'], { cwd: stack })
  const port = await freePort()
  const composeEnv = {
    ...env,
    CLOUDPARTNER_IMAGE: IMAGE,
    POSTGRES_IMAGE: COMPOSE_DEPS,
    HAPROXY_IMAGE: COMPOSE_DEPS,
    CLOUDPARTNER_PUBLISHED_PORT: `${port}`,
  }
  const compose = (...args: string[]) =>
    runOk('podman-compose', ['--project-name', project, ...args], {
      cwd: stack,
      env: composeEnv,
      timeoutMs: 300_000,
    })
  try {
    // podman-compose 1.0.3 does not wait for `condition: service_healthy`: PostgreSQL first.
    await compose('up', '--detach', 'postgres')
    await waitFor(
      () => run('podman', ['healthcheck', 'run', `${project}_postgres_1`], { cwd: ROOT, env }),
      'PostgreSQL healthy',
    )
    await compose('up', '--detach')
    const url = `http://127.0.0.1:${port}`
    await waitUntilOk(`${url}/health/ready`, 180_000)
    for (const replica of [1, 2, 3])
      await waitFor(
        () => run('podman', ['healthcheck', 'run', `${project}_app_${replica}`], { cwd: ROOT, env }),
        `replica ${replica} healthy`,
      )
    const token = await registerAndGetToken(env, `${project}_app_1`, url)
    // Round robin: six calls reach every replica twice, each verifying a token one of them signed.
    for (let call = 0; call < 6; call += 1) {
      const response = await fetch(`${url}/api/publishers/contoso/offers?api-version=2017-10-31`, {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(response.status, 200, `call ${call}: ${await response.text()}`)
    }
  } finally {
    await run('podman-compose', ['--project-name', project, 'down', '--volumes'], {
      cwd: stack,
      env: composeEnv,
      timeoutMs: 300_000,
    })
  }
})

async function waitFor(
  check: () => Promise<{ code: number | null }>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if ((await check()).code === 0) return
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  throw new Error(`not ${what} within ${timeoutMs / 1000}s`)
}
