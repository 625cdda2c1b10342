import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, tokenFor } from '../helpers/dev-credentials-http.ts'

test('cloudpartner token mints tokens the server accepts, before and after keys rotate', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
  const server = await startServe(t, { cwd: dir, dataDir })
  const fromServer = await tokenFor(server.url, DEVELOPMENT_CREDENTIALS)

  const minted = await cli('token')
  assert.equal(minted.code, 0, minted.stderr)
  assert.match(minted.stdout, /^ey[\w-]+\.[\w-]+\.[\w-]+\n$/)
  const fromCli = minted.stdout.trim()
  const claims = JSON.parse(Buffer.from(fromCli.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
  assert.equal(claims.appid, DEVELOPMENT_CREDENTIALS.clientId)
  assert.equal(claims.tid, DEVELOPMENT_CREDENTIALS.tenantId)
  assert.equal(claims.aud, 'https://cloudpartner.azure.com')
  assert.equal((await apiGet(server.url, '/api/publishers/contoso/offers', fromCli)).status, 200)

  const keysBefore = JSON.parse((await cli('keys', 'list', '--json')).stdout) as { kid: string }[]
  assert.equal(keysBefore.length, 1)
  const rotated = await cli('keys', 'rotate', '--json')
  assert.equal(rotated.code, 0, rotated.stderr)
  const { kid } = JSON.parse(rotated.stdout) as { kid: string }
  const keysAfter = JSON.parse((await cli('keys', 'list', '--json')).stdout) as {
    kid: string
    retiredTime?: string
  }[]
  assert.deepEqual(
    keysAfter.map((key) => [key.kid, key.retiredTime === undefined]),
    [
      [kid, true],
      [keysBefore[0]?.kid, false],
    ],
  )

  // Tokens signed before the rotation still work on the running server...
  assert.equal((await apiGet(server.url, '/api/publishers', fromServer)).status, 200)
  assert.equal((await apiGet(server.url, '/api/publishers', fromCli)).status, 200)
  // ...and one signed with the new key works too: the server loads a key it does not know yet.
  const afterRotation = (await cli('token')).stdout.trim()
  const header = JSON.parse(Buffer.from(afterRotation.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
    kid: string
  }
  assert.equal(header.kid, kid)
  assert.equal((await apiGet(server.url, '/api/publishers', afterRotation)).status, 200)
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('cloudpartner token names a principal by client id, and fails clearly for unknown ones', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', join(dir, 'data')], { cwd: dir })
  const created = JSON.parse((await cli('principals', 'create', '--json')).stdout) as { clientId: string }
  const token = await cli('token', '--client-id', created.clientId)
  assert.equal(token.code, 0, token.stderr)
  const claims = JSON.parse(Buffer.from(token.stdout.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    appid: string
  }
  assert.equal(claims.appid, created.clientId)
  const json = await cli('token', '--client-id', created.clientId, '--json')
  assert.equal(json.code, 0, json.stderr)
  const issued = JSON.parse(json.stdout) as Record<string, unknown>
  assert.deepEqual(Object.keys(issued), [
    'accessToken',
    'tokenType',
    'expiresIn',
    'expiresOn',
    'notBefore',
    'audience',
    'tenantId',
    'clientId',
  ])
  assert.match(String(issued.accessToken), /^ey[\w-]+\.[\w-]+\.[\w-]+$/)
  assert.deepEqual(
    [issued.tokenType, issued.audience, issued.clientId],
    ['Bearer', 'https://cloudpartner.azure.com', created.clientId],
  )
  // Seconds since 1970, as the token's exp and nbf claims.
  const seconds = Date.now() / 1000
  assert.ok(Number(issued.notBefore) <= seconds && Number(issued.expiresOn) > seconds, json.stdout)

  const unknown = await cli('token', '--client-id', 'nobody')
  assert.equal(unknown.code, 1)
  assert.equal(
    unknown.stderr,
    "cloudpartner: No principal with id or client id 'nobody'. See 'cloudpartner principals list'.\n",
  )
  const noDevelopmentPrincipal = await cli('token')
  assert.equal(noDevelopmentPrincipal.code, 1)
  assert.match(noDevelopmentPrincipal.stderr, /start the server once in development mode/)
})
