// @azure/msal-node's ConfidentialClientApplication with clientCertificate: MSAL signs a client
// assertion (PS256, x5t#S256) with the private key. The same knownAuthorities as with a secret when
// given CLOUDPARTNER_URL; nothing without it.
import { readFileSync } from 'node:fs'
import { ConfidentialClientApplication } from '@azure/msal-node'
import { certificateCredentials, report } from './report.mjs'

const { tenantId, clientId, certificatePath, thumbprintSha256 } = certificateCredentials()
const url = process.env.CLOUDPARTNER_URL
await report(
  'msal-node-certificate',
  async () => {
    const clientCertificate = { thumbprintSha256, privateKey: readFileSync(certificatePath, 'utf8') }
    const app = new ConfidentialClientApplication({
      auth: url
        ? {
            clientId,
            clientCertificate,
            authority: `${url}/${tenantId}`,
            knownAuthorities: [new URL(url).host],
          }
        : { clientId, clientCertificate, authority: `https://login.microsoftonline.com/${tenantId}` },
    })
    const result = await app.acquireTokenByClientCredential({
      scopes: ['https://cloudpartner.azure.com/.default'],
    })
    return result?.accessToken
  },
  { clientId },
)
