// A release script on this project's SDK with @azure/identity's credential, written for the real
// service: no endpoint, no authority, nothing but the credential. Run through the namespace or the
// proxy it reaches this server unchanged. Not run with CLOUDPARTNER_URL (see azure_identity.mjs).
import { ClientSecretCredential } from '@azure/identity'
import { CloudPartnerClient } from '../../../src/sdk/index.ts'
import { credentials, print } from './report.mjs'

const { tenantId, clientId, clientSecret } = credentials()
try {
  const client = new CloudPartnerClient({
    credential: new ClientSecretCredential(tenantId, clientId, clientSecret),
  })
  const offers = await client.offers.list('contoso')
  await print({ client: 'sdk-azure-identity', status: 200, offers: offers.map((offer) => offer.id) })
} catch (error) {
  await print({ client: 'sdk-azure-identity', error: String(error?.stack ?? error) })
}
