import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { DEFAULT_LOCAL_ENDPOINT } from '../../src/cli/api/connection.ts'
import { manualClock } from '../../src/clock.ts'
import { JWT_BEARER } from '../../src/token-service/aad-error.ts'
import { runCliHere, tempDir } from '../helpers/cli-process.ts'
import { createTestCertificate } from '../helpers/client-certificates.ts'
import { INJECT_HOST, signInWithAssertion } from '../helpers/portal.ts'
import { startTestApp, TEST_TENANT } from '../helpers/test-app.ts'
import { V2_SCOPE } from '../helpers/token-requests.ts'

/**
 * `cloudpartner principals assertion`: a client assertion made on the machine that holds the key,
 * which the token endpoint and the portal's certificate sign-in of the server it names accept.
 */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCliHere(['principals', 'assertion', ...args], env)

test('an assertion from a key and its certificate: signs in at the portal, and gets a token, once each', async (t) => {
  const dir = await tempDir(t)
  const certificate = createTestCertificate()
  const bundle = join(dir, 'pipeline.pem')
  await writeFile(bundle, certificate.certificate + certificate.privateKey)
  // The server's clock is the machine's: the command signs with the machine's time.
  const testApp = await startTestApp(t, { settings: { production: true }, clock: manualClock(new Date()) })
  await testApp.createPublisher('fabrikam')
  const { principal } = await testApp.services.principals.create({
    tenantId: TEST_TENANT,
    displayName: 'pipeline',
    withSecret: false,
    grants: [{ publisherId: 'fabrikam', role: 'Owner' }],
    certificates: [certificate.certificate],
  })
  const base = ['--key', bundle, '--certificate', bundle, '--client-id', principal.clientId]

  const made = await cli([...base, '--tenant', TEST_TENANT])
  assert.equal(made.code, 0, made.stderr)
  const assertion = made.stdout.trim()
  assert.equal(made.stdout, `${assertion}\n`, 'the assertion alone, for $(…)')
  assert.deepEqual(decodeProtectedHeader(assertion), {
    alg: 'PS256',
    typ: 'JWT',
    'x5t#S256': Buffer.from(certificate.thumbprintSha256, 'hex').toString('base64url'),
  })
  const claims = decodeJwt(assertion)
  assert.equal(claims.aud, `${DEFAULT_LOCAL_ENDPOINT}/${TEST_TENANT}/oauth2/v2.0/token`)
  assert.equal(claims.iss, principal.clientId)
  assert.equal(claims.sub, principal.clientId)
  assert.equal((claims.exp as number) - (claims.nbf as number), 600)

  // The portal at the address the assertion names (the CLI's default endpoint) signs it in, once.
  assert.equal(`http://${INJECT_HOST}`, DEFAULT_LOCAL_ENDPOINT)
  const signedIn = await signInWithAssertion(testApp.app, principal, assertion)
  assert.equal(signedIn.response.statusCode, 303, signedIn.response.body)
  const again = await signInWithAssertion(testApp.app, principal, assertion)
  assert.equal(again.response.statusCode, 401)

  // Another one, from the environment's client and tenant, for another endpoint: the token endpoint takes it.
  const other = await cli(
    ['--key', bundle, '--certificate', bundle, '--endpoint', 'https://cpp.internal:8443/'],
    {
      CLOUDPARTNER_CLIENT_ID: principal.clientId,
      CLOUDPARTNER_TENANT_ID: TEST_TENANT,
    },
  )
  assert.equal(other.code, 0, other.stderr)
  assert.equal(
    decodeJwt(other.stdout.trim()).aud,
    `https://cpp.internal:8443/${TEST_TENANT}/oauth2/v2.0/token`,
  )
  assert.notEqual(decodeJwt(other.stdout.trim()).jti, claims.jti)
  const token = await testApp.app.inject({
    method: 'POST',
    url: `/${TEST_TENANT}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'cpp.internal:8443' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: principal.clientId,
      client_assertion_type: JWT_BEARER,
      client_assertion: other.stdout.trim(),
      scope: V2_SCOPE,
    }).toString(),
  })
  assert.equal(token.statusCode, 200, token.body)

  const audience = await cli([...base, '--audience', 'https://login.microsoftonline.com/x/oauth2/token'])
  assert.equal(audience.code, 0, audience.stderr)
  assert.equal(decodeJwt(audience.stdout.trim()).aud, 'https://login.microsoftonline.com/x/oauth2/token')
})

test('usage errors: a key that is not the certificate’s, no tenant, no certificate in the file', async (t) => {
  const dir = await tempDir(t)
  const certificate = createTestCertificate()
  const stranger = createTestCertificate()
  const paths = {
    cert: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
    strangerKey: join(dir, 'stranger-key.pem'),
  }
  await writeFile(paths.cert, certificate.certificate)
  await writeFile(paths.key, certificate.privateKey)
  await writeFile(paths.strangerKey, stranger.privateKey)
  const withTenant = ['--client-id', 'c', '--tenant', TEST_TENANT]

  const mismatch = await cli(['--key', paths.strangerKey, '--certificate', paths.cert, ...withTenant])
  assert.equal(mismatch.code, 2)
  assert.match(
    mismatch.stderr,
    /the key in .*stranger-key\.pem is not the private key of the certificate in .*cert\.pem/,
  )
  assert.equal(mismatch.stdout, '')

  const noTenant = await cli(['--key', paths.key, '--certificate', paths.cert, '--client-id', 'c'])
  assert.equal(noTenant.code, 2)
  assert.match(noTenant.stderr, /missing --tenant <id> \(or an --audience of your own\)/)

  const keyAsCertificate = await cli(['--key', paths.key, '--certificate', paths.key, ...withTenant])
  assert.equal(keyAsCertificate.code, 2)
  assert.match(keyAsCertificate.stderr, /key\.pem holds no PEM certificate/)

  const missing = await cli(['--key', join(dir, 'nosuch.pem'), '--certificate', paths.cert, ...withTenant])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /cannot read .*nosuch\.pem: ENOENT/)
})
