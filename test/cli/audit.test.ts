import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { AuditEvent } from '../../src/audit/audit-event.ts'
import { CLI_MAIN, cleanEnv, runCli, startServe, tempDir } from '../helpers/cli-process.ts'

const FIXTURES = fileURLToPath(new URL('./fixtures/offers/', import.meta.url))

test('cloudpartner audit: the bootstrap, the CLI and import are recorded with the OS user, and read back filtered', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
  const user = userInfo().username

  const server = await startServe(t, { cwd: dir, dataDir })
  await server.stop()
  assert.equal((await cli('publishers', 'create', 'fabrikam')).code, 0)
  assert.equal((await cli('import', join(FIXTURES, 'fabrikam-vm.json'))).code, 0)

  const all = await cli('audit', '--json')
  assert.equal(all.code, 0, all.stderr)
  const events = JSON.parse(all.stdout) as AuditEvent[]
  const bootstrap = events.filter((event) => event.door === 'bootstrap')
  assert.deepEqual(
    bootstrap.slice(0, 3).map((event) => event.action),
    ['signing-key.rotate', 'principal.create', 'publisher.create'],
  )
  assert.ok(bootstrap.some((event) => event.action === 'offer.publish'))
  assert.equal(bootstrap.at(-1)?.action, 'grant.set')
  for (const event of bootstrap) assert.deepEqual(event.actor, { osUser: user })
  const later = events.filter((event) => event.door !== 'bootstrap')
  assert.deepEqual(
    later.map((event) => [event.door, event.action, event.publisherId, event.actor.osUser]),
    [
      ['cli', 'publisher.create', 'fabrikam', user],
      ['import', 'offer.import', 'fabrikam', user],
    ],
  )

  const fabrikam = await cli('audit', '--publisher', 'fabrikam')
  assert.equal(fabrikam.code, 0)
  assert.equal(fabrikam.stdout.trim().split('\n').length, 2)
  assert.match(fabrikam.stdout, new RegExp(`cli \\(user ${user}\\)  publisher\\.create  fabrikam  created`))
  const none = await cli('audit', '--since', '2999-01-01')
  assert.equal(none.stdout, 'No changes recorded.\n')
  const bad = await cli('audit', '--since', 'last tuesday')
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--since takes a date/)
})

test('cloudpartner audit --follow prints each change as it is made', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  assert.equal(
    (await runCli(t, ['publishers', 'create', 'fabrikam', '--data-dir', dataDir], { cwd: dir })).code,
    0,
  )
  const follow = spawn(process.execPath, [CLI_MAIN, 'audit', '--follow', '--json', '--data-dir', dataDir], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => {
    if (follow.exitCode === null) follow.kill('SIGKILL')
  })
  let out = ''
  const lines = async (count: number) => {
    while (out.split('\n').length <= count)
      await once(follow.stdout, 'data').then(([chunk]) => (out += chunk))
    return out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent)
  }
  assert.deepEqual(
    (await lines(1)).map((event) => event.publisherId),
    ['fabrikam'],
  )
  assert.equal(
    (await runCli(t, ['publishers', 'create', 'adatum', '--data-dir', dataDir], { cwd: dir })).code,
    0,
  )
  assert.deepEqual(
    (await lines(2)).map((event) => event.publisherId),
    ['fabrikam', 'adatum'],
  )
  follow.kill('SIGINT')
})
