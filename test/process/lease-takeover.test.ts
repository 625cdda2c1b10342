import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { startServe, tempDir } from '../helpers/cli-process.ts'
import { API_VERSION, tokenFor } from '../helpers/dev-credentials-http.ts'
import { createTestDatabase } from '../helpers/postgres.ts'

/**
 * A worker killed with SIGKILL while it holds an operation's lease: its lease lapses, and a second
 * server on the same store takes the operation over and finishes it. The lease is held only between
 * a claim and the transition it stores, so the test holds the first server there: a table lock on
 * `operation_steps` lets its claim (a write to `operations`) through and stops the transition that
 * follows. PostgreSQL only, whatever the test backend, as the replicas test: on SQLite the claim and
 * the transition's BEGIN IMMEDIATE are one synchronous step apart, and nothing outside the process
 * can hold it between them.
 */
const OFFER_PATH = '/api/publishers/contoso/offers/contosovirtualmachine'
const WAIT_MS = 30_000

interface Detail {
  status: string
  steps: { id: string; status: string; messages: { messageHtml: string }[] }[]
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`${what} not reached within ${WAIT_MS / 1000}s: ${JSON.stringify(value)}`)
    await sleep(50)
  }
}

test('kill -9 while holding a lease: the lease lapses and a second server finishes the operation', async (t) => {
  const database = await createTestDatabase()
  t.after(() => database.drop())
  const cwd = await tempDir(t)
  const env = { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') }
  // Certification lasts 3 days × 8e-6 ≈ 2 s: long enough to take the lock while it runs.
  const args = [
    '--database-url',
    database.url,
    '--publish-profile',
    'realistic',
    '--publish-time-scale',
    '0.000008',
  ]
  const serve = (name: string) => startServe(t, { cwd, dataDir: join(cwd, name), args, env })

  const first = await serve('first')
  const token = await tokenFor(first.url, DEVELOPMENT_CREDENTIALS)
  const get = async (url: string, path: string): Promise<Detail> => {
    const separator = path.includes('api-version') ? '' : `${path.includes('?') ? '&' : '?'}${API_VERSION}`
    const response = await fetch(`${url}${path}${separator}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(response.status, 200, await response.clone().text())
    return (await response.json()) as Detail
  }
  const published = await fetch(`${first.url}${OFFER_PATH}/publish?${API_VERSION}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  assert.equal(published.status, 202, await published.text())
  const location = published.headers.get('location') as string
  await until(
    () => get(first.url, location),
    (detail) => detail.steps.some((step) => step.id === 'displaycertify' && step.status === 'inProgress'),
    'certification',
  )

  const locker = new pg.Client({ connectionString: database.url })
  await locker.connect()
  // Ended before the database is dropped, which would end it with an error otherwise.
  locker.on('error', () => undefined)
  // EXCLUSIVE lets reads and the claim's write to `operations` through, and stops writes to the steps.
  await locker.query('BEGIN')
  await locker.query('LOCK TABLE operation_steps IN EXCLUSIVE MODE')
  const { lease_owner: owner } = await until(
    async () =>
      (
        await locker.query<{ lease_owner: string | null }>(
          'SELECT lease_owner FROM operations WHERE lease_owner IS NOT NULL',
        )
      ).rows[0] ?? {
        lease_owner: null,
      },
    (row) => row.lease_owner !== null,
    'the first server claiming the operation',
  )
  assert.match(owner as string, new RegExp(`:${first.child.pid}:`), 'the first server holds the lease')
  assert.deepEqual(await first.stop('SIGKILL'), { code: null, signal: 'SIGKILL' })
  // Its transaction never committed: its connection is gone, and nothing released the lease.
  await locker.query('ROLLBACK')
  await locker.end()

  const second = await serve('second')
  const done = await until(
    () => get(second.url, location),
    (detail) => detail.status === 'succeeded',
    'the operation finished by the second server',
  )
  const waiting = done.steps.find((step) => step.id === 'publisher-signoff')
  assert.equal(waiting?.status, 'waitingForPublisherReview')
  for (const step of done.steps) {
    const completions = step.messages.filter((message) => message.messageHtml === 'Step completed.').length
    assert.equal(completions, step.status === 'complete' ? 1 : 0, `${step.id} completed once`)
  }
  const [takeover] = await second.waitFor('stdout', /^.*took over an operation.*$/m)
  assert.equal((JSON.parse(takeover) as { previousOwner: string }).previousOwner, owner)
  assert.deepEqual(await second.stop(), { code: 0, signal: null })
})
