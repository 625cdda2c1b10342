import { CLOUD_PARTNER_RESOURCE } from '../../src/auth/cloud-partner.ts'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'

/** A bearer token for the development principal, from the server's own token service, as a client gets one. */
export async function developmentToken(baseUrl: string): Promise<string> {
  const { tenantId, clientId, clientSecret } = DEVELOPMENT_CREDENTIALS
  const response = await fetch(`${baseUrl}/${tenantId}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      resource: CLOUD_PARTNER_RESOURCE,
    }),
  })
  const body = (await response.json()) as { access_token?: string }
  if (response.status !== 200 || body.access_token === undefined) {
    throw new Error(`token service answered ${response.status}: ${JSON.stringify(body)}`)
  }
  return body.access_token
}
