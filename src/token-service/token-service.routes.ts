import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../clock.ts'
import type { PrincipalStore } from '../principals/principals.store.ts'
import { AadError, aadErrors } from './aad-error.ts'
import { installAadErrorHandling, installFormBodyParser, sendAad } from './aad-http.ts'
import { discoveryRoutes } from './discovery.routes.ts'
import type { Keyring } from './keyring.ts'
import { throttledClientCredentials } from './throttled-client-credentials.ts'
import type { TokenEndpointVersion, TokenService } from './token-service.ts'
import type { TokenThrottle } from './token-throttle.ts'

export interface TokenServiceOptions {
  readonly tokens: TokenService
  readonly keyring: Keyring
  /** Which tenants exist (those of registered principals), for the discovery documents. */
  readonly principals: PrincipalStore
  /** Stamps error answers; the app's injected clock. */
  readonly clock: Clock
  readonly throttle: TokenThrottle
  /** Told of each token request's outcome (the metrics): issued, or the Azure AD error. */
  readonly onTokenRequest?:
    | ((grantType: string, version: TokenEndpointVersion, outcome: string) => void)
    | undefined
  /** Largest token request body (--max-token-body-bytes): a form with a client assertion is a few KB. */
  readonly bodyLimit: number
}

interface TenantParams {
  tenant: string
}

/**
 * Azure AD reads the form only, and so do we, but a client that puts its secret in the query string
 * would still see it logged with the URL: token requests are logged by path alone.
 */
const tokenRouteOptions = {
  schema: { hide: true },
  logSerializers: {
    req: (request: FastifyRequest) => ({
      method: request.method,
      url: request.url.split('?')[0],
      host: request.host,
      remoteAddress: request.ip,
    }),
  },
}

/**
 * The Azure-AD-compatible token service: client-credentials token endpoints (v1 and v2) and the
 * discovery routes. Its errors and its body parsing are Azure AD's, not the CPP API's: this plugin
 * is encapsulated, so neither leaks into /api.
 */
export async function tokenServiceRoutes(app: FastifyInstance, options: TokenServiceOptions): Promise<void> {
  const { tokens, throttle } = options
  installAadErrorHandling(app, options.clock)
  installFormBodyParser(app)
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= options.bodyLimit
  })

  const tokenRoute =
    (version: TokenEndpointVersion) =>
    async (request: FastifyRequest<{ Params: TenantParams }>, reply: FastifyReply) => {
      const form = isRecord(request.body) ? request.body : {}
      const basic = basicCredentials(request.headers.authorization)
      const sentId = typeof form.client_id === 'string' ? form.client_id : basic?.clientId
      const clientId = sentId?.toLowerCase()
      const address = request.ip
      const issued = await counted(form, version, () =>
        throttledClientCredentials({ tokens, throttle, clock: options.clock }, address, clientId, {
          tenant: request.params.tenant,
          version,
          host: request.host,
          form,
          ...(basic ? { basic } : {}),
        }),
      )
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

  async function counted<T>(
    form: Record<string, unknown>,
    version: TokenEndpointVersion,
    issue: () => Promise<T>,
  ): Promise<T> {
    const { onTokenRequest } = options
    if (!onTokenRequest) return issue()
    const grantType = grantTypeLabel(form.grant_type)
    try {
      const issued = await issue()
      onTokenRequest(grantType, version, 'issued')
      return issued
    } catch (error) {
      onTokenRequest(grantType, version, error instanceof AadError ? error.error : 'error')
      throw error
    }
  }

  const postOnly = async (request: FastifyRequest) => {
    throw aadErrors.postOnly(request.method)
  }
  for (const [path, version] of [
    ['/:tenant/oauth2/token', 'v1'],
    ['/:tenant/oauth2/v2.0/token', 'v2'],
  ] as const) {
    app.post<{ Params: TenantParams }>(path, tokenRouteOptions, tokenRoute(version))
    app.get(path, tokenRouteOptions, postOnly)
  }

  discoveryRoutes(app, options)
}

/**
 * client_secret_basic. RFC 6749 §2.3.1 form-encodes the id and the secret before joining them, but
 * many clients send them raw: a value that does not decode is taken as sent, and `+` stays a plus
 * (secrets of the older base64 kind contain it).
 */
function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1]
  if (encoded === undefined) return undefined
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  // A NUL character, sent raw or encoded, cannot be a credential (and PostgreSQL cannot compare it).
  if (/\0|%00/.test(decoded)) throw aadErrors.malformedRequest('The Basic credentials hold a NUL character.')
  return {
    clientId: lenientDecode(decoded.slice(0, colon)),
    clientSecret: lenientDecode(decoded.slice(colon + 1)),
  }
}

function lenientDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** A label from a closed set, whatever a client sends: no unbounded label values. */
function grantTypeLabel(value: unknown): string {
  if (value === undefined) return 'missing'
  return KNOWN_GRANT_TYPES.includes(value as string) ? (value as string) : 'other'
}

const KNOWN_GRANT_TYPES = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:device_code',
]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
