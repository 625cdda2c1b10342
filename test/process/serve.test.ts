import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, credentialsFromWelcome, requestToken, tokenFor } from '../helpers/dev-credentials-http.ts'

test('a first start in development mode prints curl commands that work as printed', async (t) => {
  const dir = await tempDir(t)
  const server = await startServe(t, { cwd: dir, dataDir: `${dir}/data` })
  const welcome = server.stderr()
  assert.match(welcome, /First start: created the development principal and the sample publisher 'contoso'/)
  assert.match(
    welcome,
    new RegExp(`curl -s "${server.url}/api/publishers/contoso/offers\\?api-version=2017-10-31"`),
  )

  const credentials = credentialsFromWelcome(welcome)
  assert.deepEqual(credentials, {
    tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
    clientId: DEVELOPMENT_CREDENTIALS.clientId,
    clientSecret: DEVELOPMENT_CREDENTIALS.clientSecret,
  })
  const token = await tokenFor(server.url, credentials)
  const response = await apiGet(server.url, '/api/publishers/contoso/offers', token)
  assert.equal(response.status, 200)
  const offers = (await response.json()) as { offerTypeId: string; status: string; changedTime: string }[]
  assert.deepEqual(
    new Set(offers.map((offer) => offer.offerTypeId)),
    new Set(['microsoft-azure-virtualmachines', 'microsoft-azure-corevm', 'microsoft-azure-applications']),
  )
  assert.deepEqual(new Set(offers.map((offer) => offer.status)), new Set(['neverPublished', 'succeeded']))
  for (const offer of offers) assert.match(offer.changedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/)

  const publishers = await apiGet(server.url, '/api/publishers', token)
  assert.deepEqual(await publishers.json(), [
    {
      id: 'contoso',
      version: 1,
      definition: {
        displayText: 'Contoso',
        offerTypeCategories: [
          'microsoft-azure-virtualmachines',
          'microsoft-azure-corevm',
          'microsoft-azure-applications',
        ],
        sellerId: 1234567,
      },
    },
  ])
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('production mode creates no development principal and refuses the development credentials', async (t) => {
  const dir = await tempDir(t)
  const server = await startServe(t, { cwd: dir, dataDir: `${dir}/data`, args: ['--production'] })
  assert.match(server.stderr(), /Production mode/)
  assert.match(server.stderr(), /npx cloudpartner principals create/)
  assert.doesNotMatch(server.stderr(), /client_secret=/)
  // The commands it suggests work as printed, in order (a grant needs its publisher).
  const suggested = server
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('  npx cloudpartner '))
    .map((line) => (line.match(/"[^"]*"|\S+/g) ?? []).slice(2))
  assert.equal(suggested.length, 2, server.stderr())
  const registered: string[] = []
  for (const args of suggested) {
    const words = args.map((word) => word.replace(/^"(.*)"$/, '$1'))
    const ran = await runCli(t, words, { cwd: dir })
    assert.equal(ran.code, 0, `${words.join(' ')}: ${ran.stderr}`)
    registered.push(ran.stdout)
  }
  assert.match(registered[1] ?? '', /client secret: +[\w-]{40}/)

  const response = await requestToken(server.url, DEVELOPMENT_CREDENTIALS)
  assert.equal(response.status, 400)
  assert.equal(((await response.json()) as { error: string }).error, 'invalid_tenant')

  const listed = await runCli(t, ['principals', 'list', '--json', '--data-dir', `${dir}/data`], { cwd: dir })
  assert.equal(listed.code, 0, listed.stderr)
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { displayName: string }[]).map((principal) => principal.displayName),
    ['My pipeline'],
    'no development principal: only the one registered above',
  )
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('a store bootstrapped in development refuses the development credentials once served in production', async (t) => {
  const dir = await tempDir(t)
  const development = await startServe(t, { cwd: dir, dataDir: `${dir}/data` })
  const token = await tokenFor(development.url, DEVELOPMENT_CREDENTIALS)
  assert.deepEqual(await development.stop(), { code: 0, signal: null })

  const env = { CLOUDPARTNER_PRODUCTION: 'true' }
  const production = await startServe(t, { cwd: dir, dataDir: `${dir}/data`, env })
  assert.match(production.stderr(), /Production mode/)
  const refused = await requestToken(production.url, DEVELOPMENT_CREDENTIALS)
  assert.equal(refused.status, 401)
  const body = (await refused.json()) as { error: string; error_description: string }
  assert.equal(body.error, 'invalid_client')
  assert.match(body.error_description, /production mode/)
  const earlier = await apiGet(production.url, '/api/publishers', token)
  assert.equal(earlier.status, 401)

  const cli = await runCli(t, ['token', '--data-dir', `${dir}/data`], { cwd: dir, env })
  assert.equal(cli.code, 1)
  assert.match(
    cli.stderr,
    /^cloudpartner: Production mode: no tokens for the well-known development principal/,
  )
  assert.deepEqual(await production.stop(), { code: 0, signal: null })
})

test('bad configuration stops start-up with exit code 2 and one line naming the setting', async (t) => {
  const dir = await tempDir(t)
  const port = await runCli(t, ['serve', '--port', '99999', '--data-dir', `${dir}/data`], { cwd: dir })
  assert.equal(port.code, 2)
  assert.match(port.stderr, /^cloudpartner: Invalid setting --port \/ CLOUDPARTNER_PORT: .*99999/)
  assert.equal(port.stderr.trim().split('\n').length, 1, port.stderr)

  const level = await runCli(t, ['serve', '--data-dir', `${dir}/data`], {
    cwd: dir,
    env: { CLOUDPARTNER_LOG_LEVEL: 'loud' },
  })
  assert.equal(level.code, 2)
  assert.match(level.stderr, /^cloudpartner: Invalid setting --log-level \/ CLOUDPARTNER_LOG_LEVEL: "loud"/)
  assert.equal(level.stderr.trim().split('\n').length, 1, level.stderr)

  const unknown = await runCli(t, ['serve', '--prot', '8080'], { cwd: dir })
  assert.equal(unknown.code, 2)
  assert.equal(unknown.stderr, "cloudpartner: serve: unknown option --prot; did you mean '--port'?\n")
})

test('a port already in use is a failed start (exit code 1) that says what to do', async (t) => {
  const dir = await tempDir(t)
  const first = await startServe(t, { cwd: dir, dataDir: `${dir}/one` })
  const port = new URL(first.url).port
  const second = await runCli(t, ['serve', '--port', port, '--data-dir', `${dir}/two`], { cwd: dir })
  assert.equal(second.code, 1)
  assert.match(
    second.stderr,
    new RegExp(`^cloudpartner: Cannot listen on 127.0.0.1:${port}: the address is in use`),
  )
  assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr)
  assert.deepEqual(await first.stop(), { code: 0, signal: null })
})
