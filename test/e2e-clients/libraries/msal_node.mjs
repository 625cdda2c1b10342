// @azure/msal-node's ConfidentialClientApplication. With CLOUDPARTNER_URL, the authority is the
// server's URL and knownAuthorities names its host with the port (the bare host name is not enough):
// MSAL then trusts it without asking login.microsoftonline.com. Without it, nothing at all.
import { ConfidentialClientApplication } from '@azure/msal-node'
import { credentials, report } from './report.mjs'

const { tenantId, clientId, clientSecret } = credentials()
const url = process.env.CLOUDPARTNER_URL
await report('msal-node', async () => {
  const app = new ConfidentialClientApplication({
    auth: url
      ? { clientId, clientSecret, authority: `${url}/${tenantId}`, knownAuthorities: [new URL(url).host] }
      : { clientId, clientSecret, authority: `https://login.microsoftonline.com/${tenantId}` },
  })
  const result = await app.acquireTokenByClientCredential({
    scopes: ['https://cloudpartner.azure.com/.default'],
  })
  return result?.accessToken
})
