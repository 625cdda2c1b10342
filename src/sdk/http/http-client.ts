import { randomUUID } from 'node:crypto'
import { attemptSignal, CLOUD_PARTNER_SCOPE, type TokenCredential } from '../auth/token-provider.ts'
import { AadTokenError, CppApiError, CppNetworkError } from '../errors.ts'
import type { Runtime } from '../runtime.ts'
import {
  type Attempt,
  isNotProcessedStatus,
  isRetryableStatus,
  neverSent,
  parseRetryAfter,
  type RetryPolicy,
  refusedByFetch,
  withRetries,
} from './retry.ts'

export interface HttpClientOptions {
  /** Base URL of the API, e.g. `https://cloudpartner.azure.com` or `http://127.0.0.1:8080`. */
  readonly endpoint: string
  readonly apiVersion: string
  readonly credential: TokenCredential
  readonly fetch: typeof fetch
  readonly runtime: Runtime
  readonly retry: RetryPolicy
  /** Per attempt. */
  readonly timeoutMs: number
  readonly userAgent: string
}

export interface ApiRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  /** A path below the endpoint (`/api/…`, `/admin/…`), or a `Location` the service handed out. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | undefined>>
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Add `api-version` (the /api routes); false for /admin. Default true. */
  readonly apiVersion?: boolean
  /**
   * Whether sending the request twice does no harm. A request that is not (cancel) is retried only
   * when the server certainly did not process it: 429, 503, or no connection. Default true.
   */
  readonly idempotent?: boolean
  readonly signal?: AbortSignal | undefined
}

export interface ApiResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly url: string
}

/**
 * Sends API requests: bearer token, api-version, JSON, retries with backoff and Retry-After, one
 * fresh token after a 401, and CPP errors turned into CppApiError. Every call carries one
 * `x-ms-correlation-request-id` across its attempts, which the service echoes and logs.
 */
export class HttpClient {
  readonly #options: HttpClientOptions
  readonly #base: URL

  constructor(options: HttpClientOptions) {
    this.#options = options
    this.#base = new URL(options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`)
  }

  /** The absolute URL of a path or Location, with api-version unless told otherwise. */
  url(path: string, query: ApiRequest['query'] = {}, apiVersion = true): URL {
    // Relative to the endpoint's path, so that an endpoint behind a path prefix keeps it.
    const url = new URL(path.replace(/^\/+/, ''), this.#base)
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, value)
    }
    if (apiVersion && !url.searchParams.has('api-version')) {
      url.searchParams.set('api-version', this.#options.apiVersion)
    }
    return url
  }

  /** Sends the request; answers a 2xx response, throws CppApiError or CppNetworkError otherwise. */
  async send(request: ApiRequest): Promise<ApiResponse> {
    const { runtime, retry } = this.#options
    const url = this.url(request.path, request.query, request.apiVersion ?? true).toString()
    const correlationId = randomUUID()
    const idempotent = request.idempotent ?? true
    let refreshedToken = false
    return withRetries<ApiResponse>(
      async (): Promise<Attempt<ApiResponse>> => {
        for (;;) {
          const outcome = await this.#attempt(request, url, correlationId, idempotent)
          // One new token after a 401: the cached one may have been revoked or rotated away.
          if (
            !outcome.done &&
            outcome.status === 401 &&
            !refreshedToken &&
            this.#options.credential.invalidate
          ) {
            refreshedToken = true
            this.#options.credential.invalidate()
            continue
          }
          return outcome
        }
      },
      { policy: retry, runtime, method: request.method, url, signal: request.signal },
    )
  }

  /** Sends the request and parses the JSON answer (the reviver sees each value's source text). */
  async json<T>(request: ApiRequest, reviver?: JsonReviver): Promise<T> {
    const response = await this.send(request)
    return parseJson<T>(response, request.method, reviver)
  }

  /** A bearer token for the API from the credential; any TokenCredential may answer null. */
  async #token(signal: AbortSignal | undefined): Promise<string> {
    const answer = await this.#options.credential.getToken(
      CLOUD_PARTNER_SCOPE,
      signal === undefined ? {} : { abortSignal: signal },
    )
    if (answer === null || typeof answer.token !== 'string' || answer.token === '') {
      throw new AadTokenError({
        status: 0,
        error: 'no_token',
        description: `The credential gave no token for ${CLOUD_PARTNER_SCOPE}.`,
        codes: [],
        tokenEndpoint: '',
      })
    }
    return answer.token
  }

  async #attempt(
    request: ApiRequest,
    url: string,
    correlationId: string,
    idempotent: boolean,
  ): Promise<Attempt<ApiResponse>> {
    const { runtime } = this.#options
    let response: Response
    let text: string
    try {
      const token = await this.#token(request.signal)
      const hasBody = request.body !== undefined
      response = await this.#options.fetch(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          'user-agent': this.#options.userAgent,
          'x-ms-correlation-request-id': correlationId,
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
        },
        ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
        signal: attemptSignal(request.signal, this.#options.timeoutMs),
      })
      text = await response.text()
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason
      if (!isNetworkError(error)) throw error
      return {
        done: false,
        retryable: !refusedByFetch(error) && (idempotent || neverSent(error)),
        error,
        fail: (attempts) => new CppNetworkError({ method: request.method, url, attempts, cause: error }),
      }
    }
    if (response.status >= 200 && response.status < 300) {
      return { done: true, value: { status: response.status, headers: response.headers, text, url } }
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), runtime.now())
    return {
      done: false,
      retryable: idempotent ? isRetryableStatus(response.status) : isNotProcessedStatus(response.status),
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      fail: () => apiError(request.method, url, response, text, retryAfterMs),
    }
  }
}

/** JSON.parse's reviver with the source text of primitives (Node 21+; no context on Node 20). */
export type JsonReviver = (key: string, value: unknown, context?: { source?: string }) => unknown

export function parseJson<T>(response: ApiResponse, method: string, reviver?: JsonReviver): T {
  try {
    return JSON.parse(response.text, reviver as Parameters<typeof JSON.parse>[1]) as T
  } catch {
    throw new CppApiError({
      status: response.status,
      code: 'InvalidResponse',
      message: `The service answered ${response.status} without valid JSON.`,
      requestId: response.headers.get('x-ms-request-id') ?? undefined,
      method,
      url: response.url,
    })
  }
}

function apiError(
  method: string,
  url: string,
  response: Response,
  text: string,
  retryAfterMs: number | undefined,
): CppApiError {
  const envelope = readEnvelope(text)
  return new CppApiError({
    status: response.status,
    code: envelope.code ?? `Http${response.status}`,
    message:
      envelope.message ??
      (text.trim() === '' || text.trimStart().startsWith('<')
        ? `HTTP ${response.status} ${response.statusText}`.trim()
        : text.trim().slice(0, 300)),
    requestId: response.headers.get('x-ms-request-id') ?? undefined,
    correlationId: response.headers.get('x-ms-correlation-request-id') ?? undefined,
    retryAfterMs,
    method,
    url,
  })
}

/** `{"error":{"code","message"}}`, or the ASP.NET `{"Message"}` some clients saw on 401 (Appendix A). */
function readEnvelope(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown }
      Message?: unknown
    }
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined
    const message =
      typeof body.error?.message === 'string'
        ? body.error.message
        : typeof body.Message === 'string'
          ? body.Message
          : undefined
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) }
  } catch {
    return {}
  }
}

/** fetch rejects with a TypeError for network failures and a DOMException when its signal times out. */
function isNetworkError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  )
}
