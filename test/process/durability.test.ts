import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, requestToken, tokenFor } from '../helpers/dev-credentials-http.ts'

const fabrikamOffer = {
  offerTypeId: 'microsoft-azure-virtualmachines',
  publisherId: 'fabrikam',
  id: 'fabrikam-vm',
  status: 'succeeded',
  version: 2,
  definition: { displayText: 'Fabrikam VM', offer: {}, plans: [{ planId: 'standard' }] },
  changedTime: '2024-05-01T12:00:00.1234567Z',
}

async function offersOf(url: string, token: string, publisherId: string): Promise<unknown> {
  const response = await apiGet(url, `/api/publishers/${publisherId}/offers`, token)
  assert.equal(response.status, 200)
  return response.json()
}

test('kill -9 after the bootstrap and after an import loses nothing, and the bootstrap runs once', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })

  const first = await startServe(t, { cwd: dir, dataDir })
  assert.match(first.stderr(), /First start/)
  const token = await tokenFor(first.url, DEVELOPMENT_CREDENTIALS)
  const contosoOffers = await offersOf(first.url, token, 'contoso')
  assert.deepEqual(await first.stop('SIGKILL'), { code: null, signal: 'SIGKILL' })

  const second = await startServe(t, { cwd: dir, dataDir })
  assert.doesNotMatch(second.stderr(), /First start/)
  // Signed before the kill: the signing keys were persisted, not regenerated.
  assert.deepEqual(await offersOf(second.url, token, 'contoso'), contosoOffers)

  await writeFile(join(dir, 'fabrikam.json'), JSON.stringify(fabrikamOffer))
  const imported = await cli('import', join(dir, 'fabrikam.json'))
  assert.equal(imported.code, 0, imported.stderr)
  assert.equal((await cli('principals', 'grant', DEVELOPMENT_CREDENTIALS.clientId, 'fabrikam')).code, 0)
  assert.deepEqual(await second.stop('SIGKILL'), { code: null, signal: 'SIGKILL' })

  const third = await startServe(t, { cwd: dir, dataDir })
  assert.doesNotMatch(third.stderr(), /First start/)
  assert.deepEqual(await offersOf(third.url, token, 'contoso'), contosoOffers)
  assert.deepEqual(await offersOf(third.url, token, 'fabrikam'), [
    {
      offerTypeId: 'microsoft-azure-virtualmachines',
      publisherId: 'fabrikam',
      status: 'succeeded',
      id: 'fabrikam-vm',
      version: 2,
      definition: { displayText: 'Fabrikam VM' },
      changedTime: '2024-05-01T12:00:00.1234567Z',
    },
  ])
  const principals = JSON.parse((await cli('principals', 'list', '--json')).stdout) as unknown[]
  assert.equal(principals.length, 1)
  assert.deepEqual(await third.stop(), { code: 0, signal: null })
})

test('a deleted development principal stays deleted across restarts', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const first = await startServe(t, { cwd: dir, dataDir })
  const deleted = await runCli(
    t,
    ['principals', 'delete', DEVELOPMENT_CREDENTIALS.clientId, '--data-dir', dataDir],
    {
      cwd: dir,
    },
  )
  assert.equal(deleted.code, 0, deleted.stderr)
  assert.match(deleted.stdout, /^Deleted principal "Cloud Partner development principal"/)
  assert.deepEqual(await first.stop(), { code: 0, signal: null })

  const second = await startServe(t, { cwd: dir, dataDir })
  assert.match(second.stderr(), /the development principal does not exist in this store/)
  assert.doesNotMatch(second.stderr(), /client_secret=/)
  const refused = await requestToken(second.url, DEVELOPMENT_CREDENTIALS)
  assert.equal(refused.status, 400)
  const token = await runCli(t, ['token', '--data-dir', dataDir], { cwd: dir })
  assert.equal(token.code, 1)
  assert.match(token.stderr, /The development principal does not exist in this store/)
  assert.deepEqual(await second.stop(), { code: 0, signal: null })
})

test('two servers starting at once on a new store bootstrap it once', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const [one, two] = await Promise.all([
    startServe(t, { cwd: dir, dataDir }),
    startServe(t, { cwd: dir, dataDir }),
  ])
  const token = await tokenFor(one.url, DEVELOPMENT_CREDENTIALS)
  assert.equal(((await offersOf(two.url, token, 'contoso')) as unknown[]).length, 4)
  const principals = await runCli(t, ['principals', 'list', '--json', '--data-dir', dataDir], { cwd: dir })
  assert.deepEqual(
    (JSON.parse(principals.stdout) as { clientId: string; grants: unknown[] }[]).map((principal) => [
      principal.clientId,
      principal.grants,
    ]),
    [[DEVELOPMENT_CREDENTIALS.clientId, [{ publisherId: 'contoso', role: 'Owner' }]]],
  )
  assert.deepEqual(await one.stop(), { code: 0, signal: null })
  assert.deepEqual(await two.stop(), { code: 0, signal: null })
})
