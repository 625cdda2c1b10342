// @azure/identity's ClientCertificateCredential, as a pipeline that authenticates with a certificate
// uses it: the PEM file holds the certificate and its private key. The same smallest change as the
// secret (authorityHost, disableInstanceDiscovery) with CLOUDPARTNER_URL, nothing without it.
import { ClientCertificateCredential } from '@azure/identity'
import { certificateCredentials, report } from './report.mjs'

const { tenantId, clientId, certificatePath } = certificateCredentials()
const url = process.env.CLOUDPARTNER_URL
await report(
  'azure-identity-certificate',
  async () => {
    const credential = url
      ? new ClientCertificateCredential(tenantId, clientId, certificatePath, {
          authorityHost: url,
          disableInstanceDiscovery: true,
        })
      : new ClientCertificateCredential(tenantId, clientId, certificatePath)
    return (await credential.getToken('https://cloudpartner.azure.com/.default')).token
  },
  { clientId },
)
