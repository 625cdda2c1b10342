import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, type ServerProcess, startServe, tempDir } from '../helpers/cli-process.ts'
import { API_VERSION, tokenFor } from '../helpers/dev-credentials-http.ts'

/**
 * The publishing engine across real processes: a server killed with SIGKILL in each kind of step
 * resumes every operation after a restart on the same store, with nothing lost and nothing done
 * twice. No timed assertions: every wait is bounded and only waits for a state to be reached.
 */
const OFFER = 'contosovirtualmachine'
const OFFERS = '/api/publishers/contoso/offers'
const WAIT_MS = 30_000

interface Step {
  id: string
  status: string
  messages: { messageHtml: string }[]
}
interface Detail {
  status: string
  steps: Step[]
}

class Client {
  url: string
  token: string
  constructor(url: string, token: string) {
    this.url = url
    this.token = token
  }
  async call(method: string, path: string, body?: unknown): Promise<Response> {
    const separator = path.includes('?') ? '&' : '?'
    return fetch(`${this.url}${path}${path.includes('api-version') ? '' : `${separator}${API_VERSION}`}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  }
  async json<T>(path: string): Promise<T> {
    const response = await this.call('GET', path)
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`)
    return (await response.json()) as T
  }
  /** Polls until `done` holds; bounded. */
  async until<T>(path: string, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      const value = await this.json<T>(path)
      if (done(value)) return value
      if (Date.now() > deadline)
        throw new Error(`${what} not reached within ${WAIT_MS / 1000}s: ${JSON.stringify(value)}`)
      await sleep(50)
    }
  }
}

async function accepted(response: Response, status = 202): Promise<string> {
  assert.equal(response.status, status, await response.clone().text())
  const location = response.headers.get('location')
  assert.ok(location)
  assert.equal(response.headers.get('operation-location'), location)
  return location
}

const stepOf = (detail: Detail, id: string) => detail.steps.find((step) => step.id === id) as Step

/** Every step of the operation completed at most once; the finished ones exactly once. */
function assertStepsOnce(detail: Detail): void {
  for (const step of detail.steps) {
    const completions = step.messages.filter((message) => message.messageHtml === 'Step completed.').length
    assert.equal(completions, step.status === 'complete' && step.id !== 'publisher-signoff' ? 1 : 0, step.id)
  }
}

async function restart(
  t: Parameters<typeof startServe>[0],
  previous: ServerProcess,
  options: Parameters<typeof startServe>[1],
  client: Client,
): Promise<ServerProcess> {
  assert.deepEqual(await previous.stop('SIGKILL'), { code: null, signal: 'SIGKILL' })
  const next = await startServe(t, options)
  client.url = next.url
  return next
}

test('kill -9 during an automatic step, at sign-off and during the live step: each operation completes once', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  // Certification lasts 3 days × 8e-6 ≈ 2 s and Live 4 days × 8e-6 ≈ 2.8 s: long enough to be
  // caught in progress, whatever the machine's speed.
  const options = {
    cwd: dir,
    dataDir,
    args: ['--publish-profile', 'realistic', '--publish-time-scale', '0.000008'],
  }
  let server = await startServe(t, options)
  const client = new Client(server.url, await tokenFor(server.url, DEVELOPMENT_CREDENTIALS))

  const location = await accepted(
    await client.call('POST', `${OFFERS}/${OFFER}/publish`, {
      metadata: { 'notification-emails': 'jdoe@contoso.com' },
    }),
  )
  await client.until<Detail>(
    location,
    (detail) => stepOf(detail, 'displaycertify').status === 'inProgress',
    'certification',
  )
  server = await restart(t, server, options, client)
  const waiting = await client.until<Detail>(location, (detail) => detail.status === 'succeeded', 'sign-off')
  assertStepsOnce(waiting)
  assert.equal(stepOf(waiting, 'publisher-signoff').status, 'waitingForPublisherReview')

  server = await restart(t, server, options, client)
  const stillWaiting = await client.json<Detail>(location)
  assert.deepEqual(stillWaiting, waiting, 'nothing moved while waiting for the publisher')
  assert.equal(
    (await client.json<{ status: string }>(`${OFFERS}/${OFFER}/status`)).status,
    'waitingForPublisherReview',
  )
  assert.equal((await client.json<{ version: number }>(`${OFFERS}/${OFFER}/slot/preview`)).version, 1)

  const live = await accepted(await client.call('POST', `${OFFERS}/${OFFER}/golive`))
  await client.until<Detail>(
    live,
    (detail) => stepOf(detail, 'live').status === 'inProgress',
    'the live step',
  )
  server = await restart(t, server, options, client)
  const done = await client.until<Detail>(live, (detail) => detail.status === 'succeeded', 'live')
  assertStepsOnce(done)

  assert.equal((await client.json<{ version: number }>(`${OFFERS}/${OFFER}/slot/production`)).version, 1)
  const offer = await client.json<{ status: string; version: number }>(`${OFFERS}/${OFFER}`)
  assert.deepEqual([offer.status, offer.version], ['succeeded', 2], 'one publish: one version')
  const submissions = await client.json<{ id: string; submissionType: string }[]>(
    `${OFFERS}/${OFFER}/submissions`,
  )
  assert.deepEqual(
    submissions.map((item) => item.submissionType),
    ['goLive', 'publish'],
  )
  const outbox = async (id: string) => {
    const result = await runCli(t, ['outbox', id, '--json', '--data-dir', dataDir], { cwd: dir })
    assert.equal(result.code, 0, result.stderr)
    return (JSON.parse(result.stdout) as { event: string }[]).map((message) => message.event)
  }
  assert.deepEqual(await outbox(submissions[1]?.id as string), ['started', 'waitingForPublisherReview'])
  assert.deepEqual(await outbox(submissions[0]?.id as string), ['started', 'live'])
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('manual profile: CLI commands drive the operation a running server shows, across a kill -9', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const options = { cwd: dir, dataDir, args: ['--publish-profile', 'manual'] }
  const cli = async (...args: string[]) => {
    const result = await runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }
  let server = await startServe(t, options)
  const client = new Client(server.url, await tokenFor(server.url, DEVELOPMENT_CREDENTIALS))

  const failNext = await cli(
    'operations',
    'fail-next',
    'contoso',
    OFFER,
    '--step',
    'displayprovision',
    '--message',
    'Replication failed.',
  )
  assert.match(failNext, /step displayprovision fails with "Replication failed\."/)
  const location = await accepted(await client.call('POST', `${OFFERS}/${OFFER}/publish`))
  const [operation] = await client.json<{ id: string }[]>(`${OFFERS}/${OFFER}/submissions`)
  const id = operation?.id as string
  assert.match(await cli('operations', 'advance', id), /displaycertify\s+Certification\s+inProgress/)

  server = await restart(t, server, options, client)
  assert.equal(stepOf(await client.json<Detail>(location), 'displaycertify').status, 'inProgress')
  await cli('operations', 'advance', id)
  const failed = JSON.parse(await cli('operations', 'advance', id, '--json')) as Detail
  assert.equal(failed.status, 'failed')
  assert.equal(stepOf(failed, 'displayprovision').messages[0]?.messageHtml, 'Replication failed.')
  assert.deepEqual(await client.json<Detail>(location), failed, 'the server answers what the CLI stored')

  const refused = await runCli(t, ['operations', 'advance', id, '--data-dir', dataDir], { cwd: dir })
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /Cannot advance operation '.*': it is failed/)

  const second = await accepted(await client.call('POST', `${OFFERS}/${OFFER}/publish`))
  const [next] = await client.json<{ id: string }[]>(`${OFFERS}/${OFFER}/submissions`)
  await cli('operations', 'block', next?.id as string, '--message', 'No image for plan contososkuidentifier.')
  const blocked = await client.json<Detail>(second)
  assert.equal(blocked.status, 'failed')
  assert.equal(stepOf(blocked, 'displaydummycertify').status, 'blocked')
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('two servers on one store: their workers race, and every transition is stored once', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const [one, two] = await Promise.all([
    startServe(t, { cwd: dir, dataDir }),
    startServe(t, { cwd: dir, dataDir }),
  ])
  const token = await tokenFor(one.url, DEVELOPMENT_CREDENTIALS)
  const first = new Client(one.url, token)
  const second = new Client(two.url, token)
  const offers = [
    'contosovirtualmachine',
    'contoso-devops-vm',
    'contoso-hardened-linux',
    'contoso-web-platform',
  ]
  // The sample offers that are live come with the submissions of their history.
  const before = await Promise.all(
    offers.map(async (offer) => (await first.json<unknown[]>(`${OFFERS}/${offer}/submissions`)).length),
  )
  const publishes = await Promise.all(
    offers.map(async (offer, index) =>
      accepted(await (index % 2 === 0 ? first : second).call('POST', `${OFFERS}/${offer}/publish`)),
    ),
  )
  await Promise.all(
    publishes.map((location) => first.until<Detail>(location, (d) => d.status === 'succeeded', location)),
  )
  const lives = await Promise.all(
    offers.map(async (offer, index) =>
      accepted(await (index % 2 === 0 ? second : first).call('POST', `${OFFERS}/${offer}/golive`)),
    ),
  )
  for (const location of [...publishes, ...lives]) {
    assertStepsOnce(await second.until<Detail>(location, (d) => d.status === 'succeeded', location))
  }
  for (const [index, offer] of offers.entries()) {
    const submissions = await first.json<unknown[]>(`${OFFERS}/${offer}/submissions`)
    assert.equal(submissions.length, (before[index] ?? 0) + 2, offer)
    assert.equal((await second.json<{ status: string }>(`${OFFERS}/${offer}/status`)).status, 'succeeded')
  }
  assert.deepEqual(await one.stop(), { code: 0, signal: null })
  assert.deepEqual(await two.stop(), { code: 0, signal: null })
})
