import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, requestToken, tokenFor } from '../helpers/dev-credentials-http.ts'

interface CreatedPrincipal {
  id: string
  tenantId: string
  clientId: string
  objectId: string
  displayName: string
  clientSecret?: string
  grants: { publisherId: string; role: string }[]
}

test('principals create, grant, revoke and delete, while the server runs', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
  const server = await startServe(t, { cwd: dir, dataDir })

  assert.equal((await cli('publishers', 'create', 'fabrikam', '--display-name', 'Fabrikam')).code, 0)
  const created = await cli(
    'principals',
    'create',
    '--display-name',
    'Pipeline',
    '--grant',
    'contoso:Contributor',
    '--json',
  )
  assert.equal(created.code, 0, created.stderr)
  const principal = JSON.parse(created.stdout) as CreatedPrincipal
  assert.equal(principal.displayName, 'Pipeline')
  assert.match(principal.clientSecret ?? '', /^[\w-]{40}$/)
  assert.deepEqual(principal.grants, [{ publisherId: 'contoso', role: 'Contributor' }])

  const credentials = {
    tenantId: principal.tenantId,
    clientId: principal.clientId,
    clientSecret: principal.clientSecret ?? '',
  }
  const token = await tokenFor(server.url, credentials)
  const publishers = async () =>
    ((await (await apiGet(server.url, '/api/publishers', token)).json()) as { id: string }[]).map((p) => p.id)
  assert.deepEqual(await publishers(), ['contoso'])

  // A grant goes through the principals service, which checks that the publisher exists.
  const nowhere = await cli('principals', 'grant', principal.clientId, 'nosuchpublisher')
  assert.equal(nowhere.code, 1)
  assert.equal(nowhere.stderr, "cloudpartner: Publisher 'nosuchpublisher' was not found.\n")
  const nowhereAtCreation = await cli('principals', 'create', '--grant', 'fabrikam', '--grant', 'nosuch')
  assert.equal(nowhereAtCreation.code, 1)
  assert.equal(nowhereAtCreation.stderr, "cloudpartner: Publisher 'nosuch' was not found.\n")
  const granted = await cli('principals', 'grant', principal.clientId, 'fabrikam', '--role', 'Owner')
  assert.equal(granted.code, 0, granted.stderr)
  assert.equal(granted.stdout, `Granted Owner on 'fabrikam' to "Pipeline" (${principal.clientId}).\n`)
  assert.deepEqual(await publishers(), ['contoso', 'fabrikam'])

  const revoked = await cli('principals', 'revoke', principal.clientId, 'contoso')
  assert.equal(revoked.code, 0, revoked.stderr)
  assert.deepEqual(await publishers(), ['fabrikam'])
  const again = await cli('principals', 'revoke', principal.clientId, 'contoso')
  assert.equal(again.code, 1)
  assert.match(again.stderr, /holds no grant on 'contoso'/)

  const listed = JSON.parse((await cli('principals', 'list', '--json')).stdout) as CreatedPrincipal[]
  assert.equal(
    listed.some((entry) => entry.displayName === 'cloudpartner principal'),
    false,
    'a create whose grant was refused registered nothing',
  )
  const mine = listed.find((entry) => entry.clientId === principal.clientId)
  assert.deepEqual(mine?.grants, [{ publisherId: 'fabrikam', role: 'Owner' }])
  assert.equal(
    JSON.stringify(listed).includes(principal.clientSecret ?? '-'),
    false,
    'list never shows secrets',
  )
  const table = await cli('principals', 'list')
  assert.match(table.stdout, /^CLIENT ID +TENANT ID +DISPLAY NAME +SECRET +GRANTS\n/)
  assert.match(
    table.stdout,
    new RegExp(`${principal.clientId} +${principal.tenantId} +Pipeline +yes +fabrikam:Owner`),
  )

  // A new secret: the old one is refused at once, the token issued with it keeps working until it expires.
  const rotated = await cli('principals', 'rotate-secret', principal.clientId, '--json')
  assert.equal(rotated.code, 0, rotated.stderr)
  const { clientSecret } = JSON.parse(rotated.stdout) as { clientSecret: string }
  assert.match(clientSecret, /^[\w-]{40}$/)
  assert.notEqual(clientSecret, credentials.clientSecret)
  assert.equal((await requestToken(server.url, credentials)).status, 401)
  assert.deepEqual(await publishers(), ['fabrikam'], 'the token issued before still works')
  const renewed = { ...credentials, clientSecret }
  assert.equal((await requestToken(server.url, renewed)).status, 200)

  const deleted = await cli('principals', 'delete', principal.clientId)
  assert.equal(deleted.code, 0, deleted.stderr)
  assert.equal((await apiGet(server.url, '/api/publishers', token)).status, 200)
  assert.deepEqual(await publishers(), [], 'a token of a deleted principal reaches no publisher')
  assert.equal((await requestToken(server.url, renewed)).status, 400)
  assert.equal((await cli('principals', 'delete', principal.clientId)).code, 1)
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('principals create prints the secret once in human form, and registers external principals without one', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', join(dir, 'data')], { cwd: dir })
  const tenant = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
  assert.equal((await cli('publishers', 'create', 'contoso')).code, 0)
  const human = await cli('principals', 'create', '--tenant', tenant, '--grant', 'contoso')
  assert.equal(human.code, 0, human.stderr)
  assert.match(human.stdout, new RegExp(`tenant id: +${tenant}\n`))
  assert.match(human.stdout, /client secret: +[\w-]{40}\n/)
  assert.match(human.stdout, /grants: +contoso \(Owner\)\n/)
  assert.match(human.stdout, /The secret is shown only now/)

  const external = await cli(
    'principals',
    'create',
    '--tenant',
    '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
    '--client-id',
    '0b3e9c7a-1f2d-4e5a-8b6c-7d8e9f0a1b2c',
    '--no-secret',
    '--json',
  )
  assert.equal(external.code, 0, external.stderr)
  const principal = JSON.parse(external.stdout) as CreatedPrincipal
  assert.equal(principal.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47')
  assert.equal(principal.clientSecret, undefined)
  const duplicate = await cli(
    'principals',
    'create',
    '--tenant',
    principal.tenantId,
    '--client-id',
    principal.clientId,
  )
  assert.equal(duplicate.code, 1)
  assert.match(duplicate.stderr, /^cloudpartner: A principal with client id 0b3e9c7a-.* already exists/)
  const token = await cli('token', '--client-id', principal.clientId)
  assert.equal(token.code, 1)
  assert.match(token.stderr, /has no secret/)
  const rotation = await cli('principals', 'rotate-secret', principal.clientId)
  assert.equal(rotation.code, 2)
  assert.match(rotation.stderr, /has no secret to rotate: it belongs to an external tenant/)
})

test('principals commands reject bad arguments with exit code 2', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', join(dir, 'data')], { cwd: dir })
  const cases: [string[], RegExp][] = [
    [['principals', 'create', '--grant', 'contoso:Admin'], /the role must be one of Owner, Contributor/],
    [['principals', 'create', '--tenant', 'not-a-guid'], /tenant id must be a GUID, not 'not-a-guid'/],
    [['principals', 'grant', 'only-one-argument'], /missing the client id and the publisher id/],
    [['principals', 'grant', 'x', 'contoso', '--role', 'Reader'], /role must be one of Owner, Contributor/],
    [['principals', 'delete'], /missing the client id/],
    [['principals', 'create', '--secret-please'], /unknown option --secret-please/],
  ]
  for (const [args, message] of cases) {
    const result = await cli(...args)
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, message)
    assert.equal(result.stderr.trim().split('\n').length, 1)
  }
})
