import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { ClientSecretCredential } from '@azure/identity'
import {
  AadTokenError,
  CLOUD_PARTNER_SCOPE,
  CloudPartnerClient,
  type GetTokenOptions,
  type TokenCredential,
} from '../../src/sdk/index.ts'
import { createCertificateAuthority, issueServerCertificate } from '../../src/tls/certificate-authority.ts'
import { createHttpsListener } from '../../src/tls/https-entrance.ts'
import { startSdkServer } from './helpers/sdk-server.ts'

/**
 * The SDK takes any Azure TokenCredential (`getToken(scopes, options)`), typed structurally: a
 * release script can use `@azure/identity` (managed identity, workload identity federation, the
 * Azure CLI's login) against the real service and the same code against this server.
 */
test('a TokenCredential of your own: asked for the CPP scope with the call’s abort signal; null is an AadTokenError', async (t) => {
  const server = await startSdkServer(t)
  const asked: { scopes: string | string[]; options: GetTokenOptions | undefined }[] = []
  const credential: TokenCredential = {
    async getToken(scopes, options) {
      asked.push({ scopes, options })
      return { token: await server.ctx.tokenFor(server.owner), expiresOnTimestamp: Date.now() + 3_600_000 }
    },
  }
  const client = new CloudPartnerClient({ endpoint: server.url, credential })
  const signal = new AbortController().signal
  assert.equal((await client.offers.list('contoso', { signal })).length, 4)
  assert.deepEqual(asked[0]?.scopes, CLOUD_PARTNER_SCOPE)
  assert.equal(asked[0]?.options?.abortSignal, signal)

  const empty = new CloudPartnerClient({ endpoint: server.url, credential: { getToken: async () => null } })
  await assert.rejects(empty.offers.list('contoso'), (error: unknown) => {
    assert.ok(error instanceof AadTokenError)
    assert.equal(error.error, 'no_token')
    return true
  })
})

test("@azure/identity's ClientSecretCredential, as it is, drives the SDK against this server over HTTPS", async (t) => {
  const server = await startSdkServer(t)
  // HTTPS on a free port, with a certificate from a CA this process trusts (MSAL refuses http).
  const now = new Date()
  const ca = createCertificateAuthority(now)
  const leaf = issueServerCertificate(ca, ['localhost', '127.0.0.1'], now)
  setDefaultCACertificates([...getCACertificates('default'), ca.certificate])
  const https = createHttpsListener(
    server.ctx.app.server,
    { cert: leaf.certificate, key: leaf.privateKey, certPath: '', names: 'localhost', validTo: now },
    server.ctx.app.log,
  )
  await new Promise<void>((resolve) => https.listen({ host: '127.0.0.1', port: 0 }, resolve))
  t.after(() => new Promise<void>((resolve) => https.close(() => resolve())))
  const base = `https://localhost:${(https.address() as AddressInfo).port}`

  // The one option a URL authority needs: no instance discovery at login.microsoftonline.com.
  const credential = new ClientSecretCredential(
    server.owner.tenantId,
    server.owner.clientId,
    server.owner.secret,
    {
      authorityHost: base,
      disableInstanceDiscovery: true,
    },
  )
  const client = new CloudPartnerClient({ endpoint: base, credential })
  const offers = await client.offers.list('contoso')
  assert.deepEqual(
    offers.map((offer) => offer.id),
    ['contoso-devops-vm', 'contoso-hardened-linux', 'contoso-web-platform', 'contosovirtualmachine'],
  )
  const operation = await client.offers.publish('contoso', 'contosovirtualmachine')
  assert.equal((await client.operations.get(operation.location)).publishingVersion, 1)
})
