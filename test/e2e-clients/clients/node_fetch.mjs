// A publisher's script on Node's built-in fetch, with the real host names written in; the login
// host is login.microsoft.com, as the TypeScript client of Appendix A has it. Trust and proxy come
// from the environment (NODE_EXTRA_CA_CERTS; HTTPS_PROXY with NODE_USE_ENV_PROXY=1), as for any
// Node program. Prints one JSON line, like the other clients.
const tenant = process.env.CPP_TENANT_ID ?? '11111111-1111-1111-1111-111111111111'
const clientId = process.env.CPP_CLIENT_ID ?? '22222222-2222-2222-2222-222222222222'
const clientSecret = process.env.CPP_CLIENT_SECRET ?? 'cloudpartner-development-secret'
const login = 'https://login.microsoft.com'
const api = 'https://cloudpartner.azure.com'

async function call(url, init = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) })
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

const credentials = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }
const v1 = await call(`${login}/${tenant}/oauth2/token`, {
  method: 'POST',
  body: new URLSearchParams({ ...credentials, resource: 'https://cloudpartner.azure.com' }),
})
const discovery = await call(`${login}/${tenant}/v2.0/.well-known/openid-configuration`)
const v2 = await call(discovery.token_endpoint, {
  method: 'POST',
  body: new URLSearchParams({ ...credentials, scope: 'https://cloudpartner.azure.com/.default' }),
})
const offersUrl = `${api}/api/publishers/contoso/offers?api-version=2017-10-31`
const offers = (token) => call(offersUrl, { headers: { authorization: `Bearer ${token}` } })
console.log(
  JSON.stringify({
    client: 'node-fetch',
    v1,
    discovery,
    v2,
    offers: await offers(v1.access_token),
    offersWithV2Token: await offers(v2.access_token),
  }),
)
