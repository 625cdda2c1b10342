import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { type ServerProcess, startServe, tempDir } from '../helpers/cli-process.ts'
import { createTestDatabase } from '../helpers/postgres.ts'

const API = 'api-version=2017-10-31'
const OFFERS = 120
/** The documented durations × 1e-5: a VM publish reaches sign-off in about 3.5 s, goes live in about 3.5 s. */
const SCALE = '0.00001'
const DEADLINE_MS = 90_000

interface Replica {
  readonly server: ServerProcess
  alive: boolean
}

/**
 * Three replicas on one PostgreSQL database, behind a "load balancer" that picks one at random per
 * request. A few hundred publishes and go-lives; one replica is killed while operations are in flight.
 * Every operation must complete exactly once, and every offer end live with one new version.
 */
test('three replicas share the publishing work; a killed replica loses nothing and nothing runs twice', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.drop())
  const cwd = await tempDir(t)
  const env = { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') }
  const args = (name: string) => [
    '--database-url',
    database.url,
    '--publish-profile',
    'realistic',
    '--publish-time-scale',
    SCALE,
    '--log-level',
    'warn',
    '--data-dir',
    join(cwd, name),
  ]
  // The first one migrates and bootstraps; the other two start together on the migrated database.
  const first = await startServe(t, { cwd, dataDir: join(cwd, 'r1'), args: args('r1'), env })
  const others = await Promise.all(
    ['r2', 'r3'].map((name) => startServe(t, { cwd, dataDir: join(cwd, name), args: args(name), env })),
  )
  const replicas: Replica[] = [first, ...others].map((server) => ({ server, alive: true }))
  const pick = () => {
    const alive = replicas.filter((replica) => replica.alive)
    return (alive[Math.floor(Math.random() * alive.length)] as Replica).server.url
  }

  // Tokens minted by one replica verify on every other: the keys live in the database.
  const token = await tokenFrom(replicas[1]?.server.url as string)
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${pick()}${path}${path.includes('?') ? '&' : '?'}${API}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })

  const template = (await (
    await call('GET', '/api/publishers/contoso/offers/contoso-devops-vm')
  ).json()) as Record<string, unknown>
  const ids = Array.from({ length: OFFERS }, (_, index) => `replica-offer-${index}`)
  for (const id of ids) {
    const created = await call('PUT', `/api/publishers/contoso/offers/${id}`, {
      ...template,
      id,
      version: undefined,
    })
    assert.equal(created.status, 200, await created.text())
  }

  await test('concurrent PUTs with the same ETag through different replicas: exactly one wins', async () => {
    const before = await fetch(`${replicas[0]?.server.url}/api/publishers/contoso/offers/${ids[0]}?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const etag = before.headers.get('etag') as string
    const draft = (await before.json()) as { definition: Record<string, unknown> }
    const answers = await Promise.all(
      replicas.flatMap((replica, index) =>
        [0, 1, 2].map((attempt) =>
          fetch(`${replica.server.url}/api/publishers/contoso/offers/${ids[0]}?${API}`, {
            method: 'PUT',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'if-match': etag,
            },
            body: JSON.stringify({
              ...draft,
              definition: { ...draft.definition, displayText: `writer ${index}.${attempt}` },
            }),
          }).then((response) => response.status),
        ),
      ),
    )
    assert.deepEqual(answers.filter((status) => status === 200).length, 1, JSON.stringify(answers))
    assert.ok(
      answers.every((status) => status === 200 || status === 412),
      JSON.stringify(answers),
    )
  })

  const publishes = await Promise.all(
    // With recipients, so that every event of every operation writes an outbox message: a step
    // applied twice would write its message twice.
    ids.map((id) =>
      call('POST', `/api/publishers/contoso/offers/${id}/publish`, {
        metadata: { 'notification-emails': 'ops@contoso.com' },
      }),
    ),
  )
  assert.deepEqual(
    publishes.map((response) => response.status).filter((status) => status !== 202),
    [],
  )
  // Kill a replica while its worker holds leases on operations in the middle of their steps.
  await delay(1500)
  const victim = replicas[2] as Replica
  victim.alive = false
  await victim.server.stop('SIGKILL')

  await waitUntil(async () => {
    const statuses = await Promise.all(ids.map((id) => offerStatus(call, id)))
    return statuses.every((status) => status === 'waitingForPublisherReview')
  }, 'every publish reaches sign-off')

  const goLives = await Promise.all(
    ids.map((id) => call('POST', `/api/publishers/contoso/offers/${id}/golive`)),
  )
  assert.deepEqual(
    goLives.map((response) => response.status).filter((status) => status !== 202),
    [],
  )
  await waitUntil(async () => {
    const statuses = await Promise.all(ids.map((id) => offerStatus(call, id)))
    return statuses.every((status) => status === 'succeeded')
  }, 'every go-live reaches live')

  for (const id of ids.slice(0, 20)) {
    const versionOf = async (path: string) =>
      ((await (await call('GET', path)).json()) as { version: number }).version
    const production = { version: await versionOf(`/api/publishers/contoso/offers/${id}/slot/production`) }
    const draft = { version: await versionOf(`/api/publishers/contoso/offers/${id}`) }
    assert.equal(draft.version, production.version + 1, `${id}: one new version per publish`)
  }

  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  try {
    const operations = await client.query(
      `SELECT offer_id, count(*)::int AS n FROM operations WHERE offer_id LIKE 'replica-offer-%' GROUP BY offer_id`,
    )
    assert.equal(operations.rows.length, OFFERS)
    assert.ok(
      operations.rows.every((row) => row.n === 2),
      'one publish and one go-live per offer',
    )
    const unfinished = await client.query(
      `SELECT count(*)::int AS n FROM operations WHERE offer_id LIKE 'replica-offer-%' AND state <> 'succeeded'`,
    )
    assert.equal(unfinished.rows[0].n, 0, 'every operation succeeded')
    // Each step ran to completion in the operation that owns it: the publish up to sign-off, the go-live after.
    const steps = await client.query(
      `SELECT o.kind, s.step_id, s.status, count(*)::int AS n
       FROM operation_steps s JOIN operations o ON o.id = s.operation_id
       WHERE o.offer_id LIKE 'replica-offer-%' GROUP BY o.kind, s.step_id, s.status ORDER BY 1, 2, 3`,
    )
    for (const row of steps.rows) {
      const ranHere = row.kind === 'publish' ? row.step_id !== 'live' : true
      if (ranHere) assert.equal(row.status, 'complete', JSON.stringify(row))
      assert.equal(row.n, OFFERS, JSON.stringify(row))
    }
    // Exactly one outbox message per event per operation, and every event there: a step applied
    // twice would have sent its notice twice, and one never applied would have sent none.
    const outbox = await client.query(
      `SELECT o.kind, m.event, count(*)::int AS n FROM operation_outbox m JOIN operations o ON o.id = m.operation_id
       WHERE o.offer_id LIKE 'replica-offer-%' GROUP BY o.id, o.kind, m.event`,
    )
    const perEvent = new Map<string, number[]>()
    for (const row of outbox.rows) {
      const key = `${row.kind}:${row.event}`
      perEvent.set(key, [...(perEvent.get(key) ?? []), row.n])
    }
    assert.deepEqual(
      [...perEvent.entries()].sort().map(([key, counts]) => [key, counts.length, Math.max(...counts)]),
      [
        ['goLive:live', OFFERS, 1],
        ['goLive:started', OFFERS, 1],
        ['publish:started', OFFERS, 1],
        ['publish:waitingForPublisherReview', OFFERS, 1],
      ],
    )
    const versions = await client.query(
      `SELECT offer_id, count(*)::int AS n FROM offer_versions WHERE offer_id LIKE 'replica-offer-%' GROUP BY offer_id`,
    )
    assert.ok(
      versions.rows.every((row) => row.n === 1),
      'exactly one snapshot per offer',
    )
  } finally {
    await client.end()
  }
})

async function tokenFrom(url: string): Promise<string> {
  const response = await fetch(`${url}/${DEVELOPMENT_CREDENTIALS.tenantId}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEVELOPMENT_CREDENTIALS.clientId,
      client_secret: DEVELOPMENT_CREDENTIALS.clientSecret,
      resource: 'https://cloudpartner.azure.com',
    }),
  })
  assert.equal(response.status, 200)
  return ((await response.json()) as { access_token: string }).access_token
}

async function offerStatus(
  call: (method: string, path: string) => Promise<Response>,
  id: string,
): Promise<string> {
  const response = await call('GET', `/api/publishers/contoso/offers/${id}/status`)
  assert.equal(response.status, 200)
  return ((await response.json()) as { status: string }).status
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS
  while (Date.now() < deadline) {
    if (await check()) return
    await delay(500)
  }
  throw new Error(`timed out waiting until ${what}`)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
