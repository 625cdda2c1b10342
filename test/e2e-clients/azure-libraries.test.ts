import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { CLI_MAIN } from '../helpers/cli-process.ts'
import { createTestCertificate, type TestCertificate } from '../helpers/client-certificates.ts'
import { createCertificates, inNamespace, jwtClaims, missingPrerequisites, PYTHON } from './namespace.ts'

/**
 * Microsoft's own client libraries against the token service and the API, in every way a publisher
 * would point them at this server (docs/azure-clients.md):
 *
 * - direct: given the server's URL (https://localhost:8443, a port of its own), with the smallest set
 *   of options each library needs, in a namespace where the Microsoft host names resolve nowhere, so
 *   that a library still asking login.microsoftonline.com fails here rather than reach Microsoft;
 * - hosts: unmodified, the real host names pointing at the server (the namespace recipe);
 * - proxy: unmodified, through proxy mode (HTTPS_PROXY), for the libraries that honour it.
 *
 * Each library authenticates with the development principal's secret and, as `*-certificate`, with a
 * certificate registered for the run (`principals create --certificate`): a client assertion.
 *
 * Every case gets a token from the server and then a 200 from Retrieve offers with it. The libraries
 * are pinned devDependencies (@azure/identity, @azure/msal-node) and Debian's packages (python3-msal,
 * python3-azure for azure-identity), which .ci/run installs. Nothing is skipped: a missing
 * prerequisite fails every case with what to install.
 */
const library = (name: string) => fileURLToPath(new URL(`./libraries/${name}`, import.meta.url))

const NODE_CLIENTS = {
  'azure-identity': 'azure_identity.mjs',
  'azure-identity-certificate': 'azure_identity_certificate.mjs',
  'msal-node': 'msal_node.mjs',
  'msal-node-certificate': 'msal_node_certificate.mjs',
  'sdk-azure-identity': 'sdk_azure_identity.mjs',
} as const
const PYTHON_CLIENTS = [
  'python-msal',
  'python-azure-identity',
  'python-msal-certificate',
  'python-azure-identity-certificate',
] as const
const CERTIFICATE_CLIENTS = [
  'azure-identity-certificate',
  'msal-node-certificate',
] as const satisfies readonly (keyof typeof NODE_CLIENTS)[]
type Client = keyof typeof NODE_CLIENTS | (typeof PYTHON_CLIENTS)[number]

interface Way {
  readonly name: 'direct' | 'hosts' | 'proxy'
  readonly options: readonly string[]
  readonly clients: readonly Client[]
  /** Environment of the command: how each runtime trusts the CA when the system store does not. */
  readonly env: (caFile: string) => Record<string, string>
}

const WAYS: readonly Way[] = [
  {
    name: 'direct',
    options: ['--direct'],
    // The SDK with @azure/identity given a URL is test/sdk/token-credential.test.ts.
    clients: ['azure-identity', 'msal-node', ...CERTIFICATE_CLIENTS, ...PYTHON_CLIENTS],
    env: () => ({}),
  },
  {
    name: 'hosts',
    options: [],
    clients: ['azure-identity', 'msal-node', 'sdk-azure-identity', ...CERTIFICATE_CLIENTS, ...PYTHON_CLIENTS],
    env: () => ({}),
  },
  {
    name: 'proxy',
    options: ['--proxy', '--no-system-ca'],
    clients: ['azure-identity', 'msal-node', 'sdk-azure-identity', ...CERTIFICATE_CLIENTS, ...PYTHON_CLIENTS],
    env: (caFile) => ({ REQUESTS_CA_BUNDLE: caFile, SSL_CERT_FILE: caFile }),
  },
]

const missing = missingPrerequisites([
  ['requests', 'python3 python3-requests'],
  ['msal', 'python3-msal'],
  ['azure.identity', 'python3-azure'],
])
let dir = ''
let caFile = ''
let clientCertificate: TestCertificate

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cloudpartner-libraries-'))
  caFile = createCertificates(dir, CLI_MAIN)
  clientCertificate = createTestCertificate()
  await writeFile(join(dir, 'client-certificate.pem'), clientCertificate.certificate)
  await writeFile(join(dir, 'client.pem'), clientCertificate.certificate + clientCertificate.privateKey)
})
after(() => rm(dir, { recursive: true, force: true }))

interface Outcome {
  client: string
  /** The client id a certificate client used. */
  clientId?: string
  token?: string
  status?: number
  offers?: unknown
  error?: string
}

for (const way of WAYS) {
  test(`${way.name}: ${way.clients.join(', ')} get a token and a 200 from Retrieve offers`, async (t) => {
    assert.deepEqual(
      missing,
      [],
      `missing prerequisites: ${missing.join('; ')}. CI installs them in .ci/run.`,
    )
    // One server per way; the libraries one after the other in it, each printing one JSON line.
    // A principal with the certificate, registered through the CLI once the server runs (each way
    // starts its own server on the same store, so each registers a principal of its own).
    const register = [
      `"$NODE" ${CLI_MAIN} principals create --display-name certificate-pipeline --no-secret`,
      `--certificate ${join(dir, 'client-certificate.pem')} --grant contoso --json`,
      `| "$NODE" -e 'const p = JSON.parse(require("fs").readFileSync(0, "utf8"));`,
      `console.log("export CPP_CERT_TENANT_ID=" + p.tenantId + " CPP_CERT_CLIENT_ID=" + p.clientId)'`,
    ].join(' ')
    const commands = [`eval "$(${register})"`]
    commands.push(
      ...way.clients
        .filter((client): client is keyof typeof NODE_CLIENTS => client in NODE_CLIENTS)
        .map((client) => `"$NODE" ${library(NODE_CLIENTS[client])}`),
    )
    commands.push(`${PYTHON} ${library('python_clients.py')}`)
    const run = await inNamespace(dir, way.options, ['bash', '-c', commands.join('\n')], {
      ...way.env(caFile),
      NODE: process.execPath,
      CPP_CERT_FILE: join(dir, 'client.pem'),
      CPP_CERT_THUMBPRINT_SHA1: clientCertificate.thumbprintSha1,
      CPP_CERT_THUMBPRINT_SHA256: clientCertificate.thumbprintSha256,
    })
    assert.equal(run.code, 0, run.stderr)
    const outcomes = new Map(
      run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Outcome)
        .map((outcome) => [outcome.client, outcome]),
    )
    for (const client of way.clients) {
      await t.test(client, () => {
        const outcome = outcomes.get(client)
        assert.ok(outcome, `${client} printed nothing:\n${run.stdout}\n${run.stderr}`)
        assert.equal(outcome.error, undefined, `${client} failed ${way.name}:\n${outcome.error}`)
        assert.equal(outcome.status, 200, JSON.stringify(outcome.offers))
        assert.deepEqual(outcome.offers, [
          'contoso-devops-vm',
          'contoso-hardened-linux',
          'contoso-web-platform',
          'contosovirtualmachine',
        ])
        if (outcome.token === undefined) return // the SDK keeps its token to itself
        const claims = jwtClaims(outcome.token)
        assert.equal(claims.aud, 'https://cloudpartner.azure.com')
        if (client.endsWith('-certificate')) {
          assert.match(outcome.clientId ?? '', /^[0-9a-f-]{36}$/)
          assert.equal(claims.appid, outcome.clientId)
          return
        }
        assert.equal(claims.iss, `https://sts.windows.net/${DEVELOPMENT_CREDENTIALS.tenantId}/`)
        assert.equal(claims.appid, DEVELOPMENT_CREDENTIALS.clientId)
      })
    }
  })
}
