import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { CLI_MAIN } from '../helpers/cli-process.ts'
import {
  createCertificates,
  jwtClaims,
  missingPrerequisites,
  PYTHON,
  type Run,
  inNamespace as runInNamespace,
} from './namespace.ts'

/**
 * Clients whose HTTP and TLS layers we did not write (curl, Python's urllib, requests, Node's fetch)
 * run unchanged against the server under the real host names, with certificate verification on:
 * once through the hosts-file recipe, trusting the CA through the namespace's system store, and once
 * through proxy mode, trusting it through their own environment variables. Every run happens inside
 * a network namespace that scripts/netns-run.sh creates, so nothing can leave the machine, and a
 * client that ignored the proxy would find no name resolving rather than reach Microsoft.
 *
 * Nothing here is skipped: a missing prerequisite fails every test with what to install (.ci/run
 * installs it in CI).
 */
const clientScript = (name: string) => fileURLToPath(new URL(`./clients/${name}`, import.meta.url))

interface Client {
  readonly name: string
  readonly command: readonly string[]
  /** The login host written into the client. */
  readonly login: string
}

const CLIENTS: readonly Client[] = [
  { name: 'curl', command: ['bash', clientScript('curl.sh')], login: 'login.microsoftonline.com' },
  {
    name: 'python-urllib',
    command: [PYTHON, clientScript('python_urllib.py')],
    login: 'login.microsoftonline.com',
  },
  {
    name: 'python-requests',
    command: [PYTHON, clientScript('python_requests.py')],
    login: 'login.microsoftonline.com',
  },
  {
    name: 'node-fetch',
    command: [process.execPath, clientScript('node_fetch.mjs')],
    login: 'login.microsoft.com',
  },
]

const missing = missingPrerequisites([['requests', 'python3 python3-requests']])
let dir = ''
let caFile = ''

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cloudpartner-e2e-'))
  caFile = createCertificates(dir, CLI_MAIN)
})
after(() => rm(dir, { recursive: true, force: true }))

for (const client of CLIENTS) {
  test(`${client.name}: v1 and v2 tokens and the offers list at the real host names (hosts file, system CA store)`, async () => {
    const run = await inNamespace([], client.command)
    assertFlows(client, run)
  })
}

for (const client of CLIENTS) {
  test(`${client.name}: the same through proxy mode (HTTPS_PROXY, CA from the client's variables)`, async () => {
    const run = await inNamespace(['--proxy', '--no-system-ca'], client.command, {
      SSL_CERT_FILE: caFile,
      REQUESTS_CA_BUNDLE: caFile,
      CURL_CA_BUNDLE: caFile,
    })
    assertFlows(client, run)
  })
}

test('certificate verification is on: a client that does not trust the CA is refused', async () => {
  const run = await inNamespace(
    ['--no-system-ca'],
    ['curl', '-sS', 'https://cloudpartner.azure.com/health/live'],
  )
  assert.equal(run.code, 60, `curl should fail verification (exit 60):\n${run.stderr}`)
  assert.match(run.stderr, /SSL certificate problem/)
})

test('proxy mode refuses every other destination, over CONNECT and plain HTTP', async () => {
  const script = [
    // In proxy mode the names resolve nowhere: the clients above can only have come through the proxy.
    'getent hosts cloudpartner.azure.com && exit 11',
    'curl -sS https://example.com/ && exit 10',
    'curl -sS -o /dev/null -w "%{http_code}\\n" http://example.com/',
    'curl -sS http://example.com/',
  ].join('\n')
  const run = await inNamespace(['--proxy'], ['bash', '-c', script])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stderr, /CONNECT tunnel failed, response 403/)
  const [status, ...body] = run.stdout.split('\n')
  assert.equal(status, '403')
  assert.match(body.join('\n'), /^cloudpartner proxy: refused http:\/\/example\.com\/\. .*never forwards/)
})

async function inNamespace(
  options: readonly string[],
  command: readonly string[],
  env: Record<string, string> = {},
): Promise<Run> {
  assert.deepEqual(missing, [], `missing prerequisites: ${missing.join('; ')}. CI installs them in .ci/run.`)
  return runInNamespace(dir, options, command, env)
}

interface FlowOutput {
  client: string
  v1: Record<string, unknown>
  discovery: Record<string, unknown>
  v2: Record<string, unknown>
  offers: { id: string; publisherId: string }[]
  offersWithV2Token: unknown
}

function assertFlows(client: Client, run: Run): void {
  assert.equal(run.code, 0, `${client.name} failed:\n${run.stderr}`)
  const output = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as FlowOutput
  const { tenantId, clientId } = DEVELOPMENT_CREDENTIALS
  assert.equal(output.client, client.name)

  // v1: Azure AD's shape, every value a string.
  assert.equal(output.v1.token_type, 'Bearer')
  assert.equal(output.v1.resource, 'https://cloudpartner.azure.com')
  assert.match(String(output.v1.expires_on), /^\d+$/)
  const claims = jwtClaims(String(output.v1.access_token))
  assert.equal(claims.aud, 'https://cloudpartner.azure.com')
  assert.equal(claims.iss, `https://sts.windows.net/${tenantId}/`)
  assert.equal(claims.appid, clientId)

  // Discovery names the URLs the client used: scheme and host it called.
  assert.equal(output.discovery.token_endpoint, `https://${client.login}/${tenantId}/oauth2/v2.0/token`)
  assert.equal(output.discovery.issuer, `https://${client.login}/${tenantId}/v2.0`)
  assert.equal(output.v2.token_type, 'Bearer')
  assert.equal(typeof output.v2.expires_in, 'number')

  assert.equal(output.offers.length, 4, JSON.stringify(output.offers))
  for (const offer of output.offers) assert.equal(offer.publisherId, 'contoso')
  assert.deepEqual(output.offersWithV2Token, output.offers)
}
