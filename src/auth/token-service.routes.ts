import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PrincipalStore } from '../principals/principals.store.ts'
import { AadError, aadErrors } from './aad-error.ts'
import { openIdConfiguration } from './discovery.ts'
import type { Keyring } from './keyring.ts'
import type { TokenIssuer } from './token-issuer.ts'
import { createTokenService, type TokenEndpointVersion } from './token-service.ts'

export interface TokenServiceOptions {
  readonly keyring: Keyring
  readonly issuer: TokenIssuer
  readonly principals: PrincipalStore
  readonly production: boolean
}

interface TenantParams {
  tenant: string
}

/**
 * The Azure-AD-compatible token service: client-credentials token endpoints (v1 and v2), the OpenID
 * discovery documents, the JWKS they point to, and MSAL's instance discovery. Its errors are
 * Azure AD's, not the CPP API's.
 */
export async function tokenServiceRoutes(app: FastifyInstance, options: TokenServiceOptions): Promise<void> {
  const tokens = createTokenService(options)

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const aadError =
      error instanceof AadError
        ? error
        : aadErrors.malformedRequest(`The request could not be read: ${error.message}`)
    if (!(error instanceof AadError) && (error.statusCode ?? 500) >= 500)
      request.log.error({ err: error }, 'token request failed')
    return sendAad(reply, aadError.statusCode, aadError.toBody(String(request.id), new Date()))
  })

  const tokenRoute =
    (version: TokenEndpointVersion) =>
    async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply) => {
      const form = isRecord(request.body) ? request.body : {}
      const basic = basicCredentials(request.headers.authorization)
      const issued = await tokens.clientCredentials({
        tenant: request.params.tenant,
        version,
        form,
        ...(basic ? { basic } : {}),
      })
      // v1 answers every value as a string (clients int() them); v2 answers numbers.
      const body =
        version === 'v1'
          ? {
              token_type: 'Bearer',
              expires_in: String(issued.expiresIn),
              ext_expires_in: String(issued.expiresIn),
              expires_on: String(issued.expiresOn),
              not_before: String(issued.notBefore),
              resource: issued.audience,
              access_token: issued.accessToken,
            }
          : {
              token_type: 'Bearer',
              expires_in: issued.expiresIn,
              ext_expires_in: issued.expiresIn,
              access_token: issued.accessToken,
            }
      return sendAad(reply.header('cache-control', 'no-store, no-cache'), 200, body)
    }

  const hidden = { schema: { hide: true } }
  app.post<{ Params: TenantParams }>('/:tenant/oauth2/token', hidden, tokenRoute('v1'))
  app.post<{ Params: TenantParams }>('/:tenant/oauth2/v2.0/token', hidden, tokenRoute('v2'))

  const discovery =
    (version: TokenEndpointVersion) =>
    async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply) =>
      sendAad(reply, 200, openIdConfiguration(version, originOf(request), request.params.tenant))
  app.get<{ Params: TenantParams }>('/:tenant/.well-known/openid-configuration', hidden, discovery('v1'))
  app.get<{ Params: TenantParams }>('/:tenant/v2.0/.well-known/openid-configuration', hidden, discovery('v2'))

  const jwks = async (_request: FastifyRequest, reply: FastifyReply) =>
    sendAad(reply, 200, { keys: await options.keyring.publicJwks() })
  app.get('/:tenant/discovery/keys', hidden, jwks)
  app.get('/:tenant/discovery/v2.0/keys', hidden, jwks)
  app.get('/discovery/keys', hidden, jwks)

  // MSAL asks this of authorities it does not know; answering it lets MSAL trust ours.
  app.get<{ Querystring: { authorization_endpoint?: string } }>(
    '/common/discovery/instance',
    hidden,
    async (request, reply) => {
      const origin = originOf(request)
      const host = new URL(origin).host
      const tenant = tenantOfAuthorizationEndpoint(request.query.authorization_endpoint) ?? 'common'
      return sendAad(reply, 200, {
        tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      })
    },
  )
}

function sendAad(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body))
}

/** The scheme and host the client used, so that every URL we hand out leads back to us. */
export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}

function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1]
  if (encoded === undefined) return undefined
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
  }
}

function tenantOfAuthorizationEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined
  try {
    return new URL(endpoint).pathname.split('/').filter(Boolean)[0]
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
