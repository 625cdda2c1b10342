import { AadTokenError, CppNetworkError } from '../errors.ts'
import {
  isRetryableStatus,
  parseRetryAfter,
  type RetryOptions,
  refusedByFetch,
  retryPolicy,
  withRetries,
} from '../http/retry.ts'
import { type Runtime, systemRuntime } from '../runtime.ts'

/** A bearer token and when it expires, as Azure's TokenCredential answers it. */
export interface AccessToken {
  readonly token: string
  /** Milliseconds since the epoch. */
  readonly expiresOnTimestamp: number
}

export interface GetTokenOptions {
  readonly abortSignal?: AbortSignal
}

/**
 * Where the SDK gets its bearer tokens: Azure's `TokenCredential` contract (`@azure/core-auth`),
 * written out here so that the SDK does not depend on it. Every credential of `@azure/identity`
 * fits (`ClientSecretCredential`, `ClientCertificateCredential`, `ManagedIdentityCredential`,
 * `WorkloadIdentityCredential`, `AzureCliCredential`, `DefaultAzureCredential`…), as do the SDK's own
 * `clientCredentials()` and `staticToken()`. The SDK asks for CLOUD_PARTNER_SCOPE.
 *
 * @example
 * import { DefaultAzureCredential } from '@azure/identity'
 * const client = new CloudPartnerClient({ credential: new DefaultAzureCredential() })
 */
export interface TokenCredential {
  /** A token for the scopes, valid for at least a little while; may fetch or refresh one. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>
  /**
   * Forget the cached token: the API refused it (401), e.g. because it was revoked. The next
   * `getToken` fetches a new one. Credentials that cannot refresh leave it out.
   */
  invalidate?(): void
}

/** The CPP API's Azure AD resource: tokens must carry it as their audience. */
export const CLOUD_PARTNER_RESOURCE = 'https://cloudpartner.azure.com'
/** The scope the SDK asks credentials for: the resource's default scope. */
export const CLOUD_PARTNER_SCOPE = `${CLOUD_PARTNER_RESOURCE}/.default`
/** Azure AD's public cloud. */
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com'

/**
 * A token obtained elsewhere (`az account get-access-token`, `cloudpartner token`, a CI secret),
 * whatever scope is asked for. It is never refreshed: when it expires, the API answers 401.
 */
export function staticToken(token: string): TokenCredential {
  if (token.trim() === '') throw new TypeError('The token is empty')
  const value = token.trim().replace(/^Bearer\s+/i, '')
  const expiresOnTimestamp = jwtExpiry(value) ?? Number.MAX_SAFE_INTEGER
  return { getToken: async () => ({ token: value, expiresOnTimestamp }) }
}

/** The `exp` of a JWT, in milliseconds; undefined for anything else. */
function jwtExpiry(token: string): number | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    const exp = (claims as { exp?: unknown }).exp
    return typeof exp === 'number' ? exp * 1000 : undefined
  } catch {
    return undefined
  }
}

export interface ClientCredentialsOptions {
  /** The directory (tenant) id of the application. */
  readonly tenantId: string
  /** The application (client) id. */
  readonly clientId: string
  readonly clientSecret: string
  /**
   * Where tokens come from: Azure AD's `https://login.microsoftonline.com` (the default), or this
   * server's own token service (its base URL, e.g. `http://127.0.0.1:8080`).
   */
  readonly authority?: string
  /** `v2` (the default) posts `scope`; `v1` posts `resource`, as ADAL-era clients did. */
  readonly endpointVersion?: 'v1' | 'v2'
  /** Default `https://cloudpartner.azure.com/.default`. */
  readonly scope?: string
  /** For v1; default `https://cloudpartner.azure.com`. */
  readonly resource?: string
  /**
   * Refresh this long before the token expires. Default: 5 minutes, or a tenth of the token's
   * lifetime if that is shorter.
   */
  readonly refreshMarginMs?: number
  readonly retry?: RetryOptions
  readonly fetch?: typeof fetch
  readonly runtime?: Runtime
  /** Per token request. Default 30 s. */
  readonly timeoutMs?: number
}

interface CachedToken {
  readonly value: string
  readonly expiresAt: number
  readonly refreshAt: number
}

/**
 * The OAuth 2.0 client-credentials grant against Azure AD or any compatible authority. Tokens are
 * cached and refreshed before they expire; concurrent callers share one request in flight. If a
 * refresh fails while the cached token is still valid, the cached token is used and the refresh is
 * tried again on the next call.
 *
 * @example
 * const credential = clientCredentials({
 *   tenantId: process.env.AZURE_TENANT_ID!,
 *   clientId: process.env.AZURE_CLIENT_ID!,
 *   clientSecret: process.env.AZURE_CLIENT_SECRET!,
 * })
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenCredential & {
  /** The URL tokens are requested from. */
  readonly tokenEndpoint: string
} {
  for (const name of ['tenantId', 'clientId', 'clientSecret'] as const) {
    if (typeof options[name] !== 'string' || options[name].trim() === '') {
      throw new TypeError(`clientCredentials: ${name} is required`)
    }
  }
  const runtime = options.runtime ?? systemRuntime
  const doFetch = options.fetch ?? globalThis.fetch
  const policy = retryPolicy(options.retry)
  const version = options.endpointVersion ?? 'v2'
  const authority = (options.authority ?? DEFAULT_AUTHORITY).replace(/\/+$/, '')
  const tenant = encodeURIComponent(options.tenantId.trim())
  const tokenEndpoint = `${authority}/${tenant}/oauth2/${version === 'v2' ? 'v2.0/' : ''}token`
  const scope = options.scope ?? CLOUD_PARTNER_SCOPE
  const resource = options.resource ?? CLOUD_PARTNER_RESOURCE
  const form: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: options.clientId.trim(),
    client_secret: options.clientSecret,
    ...(version === 'v2' ? { scope } : { resource }),
  }
  // The one scope this credential gets tokens for, as a v2 scope (a v1 resource's is its default scope).
  const boundScope = version === 'v2' ? scope : `${resource.replace(/\/+$/, '')}/.default`

  let cached: CachedToken | undefined
  let inFlight: Promise<CachedToken> | undefined

  const fetchToken = (signal: AbortSignal | undefined): Promise<CachedToken> =>
    withRetries(
      async () => {
        const requestedAt = runtime.now()
        let response: Response
        let text: string
        try {
          response = await doFetch(tokenEndpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: new URLSearchParams(form).toString(),
            signal: attemptSignal(signal, options.timeoutMs ?? 30_000),
          })
          text = await response.text()
        } catch (error) {
          if (signal?.aborted) throw signal.reason
          return {
            done: false,
            retryable: !refusedByFetch(error),
            error,
            fail: (attempts) =>
              new CppNetworkError({ method: 'POST', url: tokenEndpoint, attempts, cause: error }),
          }
        }
        if (response.status === 200) {
          return { done: true, value: readToken(text, requestedAt, options.refreshMarginMs, tokenEndpoint) }
        }
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), runtime.now())
        return {
          done: false,
          retryable: isRetryableStatus(response.status),
          status: response.status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          fail: () => tokenError(response.status, text, tokenEndpoint),
        }
      },
      { policy, runtime, method: 'POST', url: tokenEndpoint, signal },
    )

  return {
    tokenEndpoint,
    async getToken(scopes, getOptions = {}) {
      const asked = (Array.isArray(scopes) ? scopes : [scopes]).join(' ')
      if (asked.toLowerCase().replace(/\/+\.default$/, '/.default') !== boundScope.toLowerCase()) {
        throw new TypeError(`This credential gets tokens for ${boundScope} only, not for ${asked}`)
      }
      const signal = getOptions.abortSignal
      const now = runtime.now()
      if (cached && now < cached.refreshAt) return accessToken(cached)
      inFlight ??= fetchToken(signal).finally(() => {
        inFlight = undefined
      })
      try {
        cached = await inFlight
      } catch (error) {
        // A refresh that failed early changes nothing while the token we have still works.
        if (cached && runtime.now() < cached.expiresAt && !signal?.aborted) return accessToken(cached)
        throw error
      }
      return accessToken(cached)
    },
    invalidate() {
      cached = undefined
    },
  }
}

function accessToken(cached: CachedToken): AccessToken {
  return { token: cached.value, expiresOnTimestamp: cached.expiresAt }
}

function readToken(
  text: string,
  requestedAt: number,
  marginMs: number | undefined,
  tokenEndpoint: string,
): CachedToken {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new AadTokenError({
      status: 200,
      error: 'invalid_response',
      description: 'The token endpoint did not answer JSON.',
      codes: [],
      tokenEndpoint,
    })
  }
  const value = body.access_token
  // v1 answers strings ("3599"), v2 numbers: both count.
  const lifetimeSeconds = Number(body.expires_in)
  if (typeof value !== 'string' || value === '' || !Number.isFinite(lifetimeSeconds)) {
    throw new AadTokenError({
      status: 200,
      error: 'invalid_response',
      description: 'The token endpoint answered without access_token or expires_in.',
      codes: [],
      tokenEndpoint,
    })
  }
  const lifetimeMs = lifetimeSeconds * 1000
  const margin = marginMs ?? Math.min(5 * 60_000, lifetimeMs / 10)
  // Measured from when the request was sent: the token cannot be older than that.
  return { value, expiresAt: requestedAt + lifetimeMs, refreshAt: requestedAt + lifetimeMs - margin }
}

function tokenError(status: number, text: string, tokenEndpoint: string): AadTokenError {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>
  } catch {
    // Not Azure AD's shape: described by its status below.
  }
  const description =
    typeof body.error_description === 'string'
      ? (body.error_description.split(/\r?\n/)[0] ?? '')
      : `The token endpoint answered HTTP ${status}.`
  return new AadTokenError({
    status,
    error: typeof body.error === 'string' ? body.error : `http_${status}`,
    description,
    codes: Array.isArray(body.error_codes) ? body.error_codes.filter((code) => typeof code === 'number') : [],
    traceId: typeof body.trace_id === 'string' ? body.trace_id : undefined,
    correlationId: typeof body.correlation_id === 'string' ? body.correlation_id : undefined,
    tokenEndpoint,
  })
}

/** The caller's signal, plus a timeout for this attempt alone. */
export function attemptSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}
