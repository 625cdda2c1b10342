// @azure/identity's ClientSecretCredential, as a publisher's release script uses it. With
// CLOUDPARTNER_URL (the server's own URL), the smallest change that works: authorityHost and
// disableInstanceDiscovery (MSAL would otherwise ask login.microsoftonline.com about the authority).
// Without it, nothing at all: the real host names, reached through the namespace or the proxy.
// Prints one JSON line (see report.mjs).
import { ClientSecretCredential } from '@azure/identity'
import { credentials, report } from './report.mjs'

const { tenantId, clientId, clientSecret } = credentials()
const url = process.env.CLOUDPARTNER_URL
await report('azure-identity', async () => {
  const credential = url
    ? new ClientSecretCredential(tenantId, clientId, clientSecret, {
        authorityHost: url,
        disableInstanceDiscovery: true,
      })
    : new ClientSecretCredential(tenantId, clientId, clientSecret)
  return (await credential.getToken('https://cloudpartner.azure.com/.default')).token
})
