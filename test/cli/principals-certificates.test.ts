import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { JWT_BEARER } from '../../src/token-service/aad-error.ts'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { createTestCertificate, signAssertion, type TestCertificate } from '../helpers/client-certificates.ts'
import { apiGet } from '../helpers/dev-credentials-http.ts'

interface Created {
  tenantId: string
  clientId: string
  clientSecret?: string
  certificates: { thumbprintSha1: string; thumbprintSha256: string }[]
}

test('principals create --certificate, add-certificate and remove-certificate, while the server runs', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
  const server = await startServe(t, { cwd: dir, dataDir })
  const first = createTestCertificate()
  const second = createTestCertificate()
  await writeFile(join(dir, 'first.pem'), first.certificate)
  await writeFile(join(dir, 'second.pem'), second.certificate + second.privateKey)

  const missing = await cli('principals', 'create', '--certificate', join(dir, 'nosuch.pem'))
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /cannot read .*nosuch\.pem: ENOENT/)

  const created = await cli(
    'principals',
    'create',
    '--no-secret',
    '--certificate',
    join(dir, 'first.pem'),
    '--grant',
    'contoso',
    '--json',
  )
  assert.equal(created.code, 0, created.stderr)
  const principal = JSON.parse(created.stdout) as Created
  assert.equal(principal.clientSecret, undefined)
  assert.equal(principal.certificates[0]?.thumbprintSha1, first.thumbprintSha1)

  const token = async (certificate: TestCertificate) => {
    const endpoint = `${server.url}/${principal.tenantId}/oauth2/v2.0/token`
    const assertion = await signAssertion(certificate, {
      clientId: principal.clientId,
      audience: endpoint,
      now: Math.floor(Date.now() / 1000),
    })
    const response = await fetch(endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: principal.clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
        scope: 'https://cloudpartner.azure.com/.default',
      }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  const issued = await token(first)
  assert.equal(issued.status, 200, JSON.stringify(issued.body))
  const offers = await apiGet(server.url, '/api/publishers/contoso/offers', String(issued.body.access_token))
  assert.equal(offers.status, 200)
  assert.equal((await token(second)).body.error_codes?.toString(), '700027')

  const added = await cli('principals', 'add-certificate', principal.clientId, join(dir, 'second.pem'))
  assert.equal(added.code, 0, added.stderr)
  assert.match(added.stdout, new RegExp(`SHA-256 ${second.thumbprintSha256}`))
  assert.equal((await token(second)).status, 200)
  const again = await cli('principals', 'add-certificate', principal.clientId, join(dir, 'second.pem'))
  assert.equal(again.code, 1)
  assert.match(again.stderr, /already has the certificate/)

  const removed = await cli('principals', 'remove-certificate', principal.clientId, first.thumbprintSha1)
  assert.equal(removed.code, 0, removed.stderr)
  assert.equal((await token(first)).body.error_codes?.toString(), '700027')
  const listed = await cli('principals', 'list', '--json')
  const mine = (JSON.parse(listed.stdout) as (Created & { clientId: string })[]).find(
    (entry) => entry.clientId === principal.clientId,
  )
  assert.deepEqual(
    mine?.certificates.map((certificate) => certificate.thumbprintSha256),
    [second.thumbprintSha256],
  )
  assert.doesNotMatch(listed.stdout, /BEGIN/)
})
