import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { test } from 'node:test'
import { startServe, tempDir } from '../helpers/cli-process.ts'
import { credentialsFromWelcome, tokenFor } from '../helpers/dev-credentials-http.ts'

/**
 * Two servers started at once on a new data directory: before, one could fail with "master.key does
 * not hold a 32-byte base64 key" (it read the file the other had created but not yet written) or
 * "database is locked". Both must start, share one master key (each one's token works on the other)
 * and keep the data private to their owner. Two rounds, since a race does not show every time (each round starts two servers: ~15 s).
 */
test('two servers starting together on a new data directory both start, on one master key', async (t) => {
  for (let round = 0; round < 2; round++) {
    const dir = await tempDir(t)
    const dataDir = `${dir}/data`
    const [first, second] = await Promise.all([
      startServe(t, { cwd: dir, dataDir }),
      startServe(t, { cwd: dir, dataDir }),
    ])
    const credentials = credentialsFromWelcome(first.stderr() + second.stderr())
    const tokens = await Promise.all([tokenFor(first.url, credentials), tokenFor(second.url, credentials)])
    for (const [server, token] of [
      [first, tokens[1]],
      [second, tokens[0]],
    ] as const) {
      const answer = await fetch(`${server.url}/api/publishers?api-version=2017-10-31`, {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(answer.status, 200, `round ${round}: a token of one server works on the other`)
    }
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
    for (const file of ['master.key', 'cloudpartner.sqlite']) {
      assert.equal((await stat(`${dataDir}/${file}`)).mode & 0o777, 0o600, file)
    }
    assert.deepEqual(await first.stop(), { code: 0, signal: null })
    assert.deepEqual(await second.stop(), { code: 0, signal: null })
  }
})
