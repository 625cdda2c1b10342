import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PrincipalStore } from '../principals/principals.store.ts'
import { originOf, sendAad } from './aad-http.ts'
import { openIdConfiguration } from './discovery.ts'
import type { Keyring } from './keyring.ts'
import { canonicalTenant, requireKnownTenant } from './tenants.ts'
import type { TokenEndpointVersion } from './token-service.ts'

interface TenantParams {
  tenant: string
}

const hidden = { schema: { hide: true } }

/**
 * What clients read before asking for a token: the OpenID Connect documents (v1 and v2), the JWKS
 * they point to, and MSAL's instance discovery. A tenant-scoped document of a tenant we do not know
 * is Azure AD's AADSTS90002, as on the token endpoints; `common` and `organizations` always answer.
 */
export function discoveryRoutes(
  app: FastifyInstance,
  options: { keyring: Keyring; principals: PrincipalStore },
): void {
  const discovery =
    (version: TokenEndpointVersion) =>
    async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply) => {
      await requireKnownTenant(options.principals, request.params.tenant)
      const tenant = canonicalTenant(request.params.tenant)
      return sendAad(reply, 200, openIdConfiguration(version, originOf(request), tenant))
    }
  app.get<{ Params: TenantParams }>('/:tenant/.well-known/openid-configuration', hidden, discovery('v1'))
  app.get<{ Params: TenantParams }>('/:tenant/v2.0/.well-known/openid-configuration', hidden, discovery('v2'))

  // One key set serves every tenant, as Azure AD's does.
  const jwks = async (reply: FastifyReply) =>
    sendAad(reply, 200, { keys: await options.keyring.publicJwks() })
  const tenantJwks = async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply) => {
    await requireKnownTenant(options.principals, request.params.tenant)
    return jwks(reply)
  }
  app.get<{ Params: TenantParams }>('/:tenant/discovery/keys', hidden, tenantJwks)
  app.get<{ Params: TenantParams }>('/:tenant/discovery/v2.0/keys', hidden, tenantJwks)
  app.get('/discovery/keys', hidden, (_request, reply) => jwks(reply))

  // MSAL asks this of authorities it does not know; answering it lets MSAL trust ours. Azure AD
  // does not check the tenant here: the document it points to does.
  app.get<{ Querystring: { authorization_endpoint?: string } }>(
    '/common/discovery/instance',
    hidden,
    async (request, reply) => {
      const origin = originOf(request)
      const host = request.host
      const tenant = tenantOfAuthorizationEndpoint(request.query.authorization_endpoint) ?? 'common'
      return sendAad(reply, 200, {
        tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      })
    },
  )
}

function tenantOfAuthorizationEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined
  try {
    const tenant = new URL(endpoint).pathname.split('/').filter(Boolean)[0]
    // The tenant goes into a URL path: anything but a plain segment is not a tenant.
    return tenant !== undefined && /^[\w.-]+$/.test(tenant) ? tenant : undefined
  } catch {
    return undefined
  }
}
