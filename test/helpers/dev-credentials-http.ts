import { CLOUD_PARTNER_RESOURCE } from '../../src/auth/cloud-partner.ts'

export const API_VERSION = 'api-version=2017-10-31'

export interface ClientCredentials {
  readonly tenantId: string
  readonly clientId: string
  readonly clientSecret: string
}

/** The credentials of the curl command a server's welcome message prints. */
export function credentialsFromWelcome(welcome: string): ClientCredentials {
  const tenantId = /\/([0-9a-f-]{36})\/oauth2\/token/.exec(welcome)?.[1]
  const clientId = /client_id=(\S+)/.exec(welcome)?.[1]
  const clientSecret = /client_secret=(\S+)/.exec(welcome)?.[1]
  if (!tenantId || !clientId || !clientSecret) throw new Error(`no token curl in:\n${welcome}`)
  return { tenantId, clientId, clientSecret }
}

/** POSTs the v1 client-credentials form, as curl and ADAL do. */
export function requestToken(url: string, credentials: ClientCredentials): Promise<Response> {
  return fetch(`${url}/${credentials.tenantId}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      resource: CLOUD_PARTNER_RESOURCE,
    }),
  })
}

export async function tokenFor(url: string, credentials: ClientCredentials): Promise<string> {
  const response = await requestToken(url, credentials)
  if (response.status !== 200)
    throw new Error(`token request failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { access_token: string }).access_token
}

/** GET on the API with a bearer token. */
export function apiGet(url: string, path: string, token: string): Promise<Response> {
  const separator = path.includes('?') ? '&' : '?'
  return fetch(`${url}${path}${separator}${API_VERSION}`, { headers: { authorization: `Bearer ${token}` } })
}
