import type { KnownErrorCode, OperationDetail, OperationStatus } from './types.ts'

/**
 * The base of every error the SDK throws on purpose, so that `catch (e) { if (e instanceof
 * CloudPartnerError) … }` separates service answers from bugs. Aborts keep the signal's reason
 * (an `AbortError` DOMException, or whatever the caller aborted with).
 */
export class CloudPartnerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CloudPartnerError'
  }
}

/**
 * The CPP API answered an error: `{"error":{"code","message"}}` with a 4xx or 5xx status (after
 * any retries). `code` is the API's (`InvalidAPIVersion`, `NotFound`, `PreconditionFailed`, …);
 * an answer without the envelope gets `Http<status>`.
 *
 * @example
 * try {
 *   await client.offers.put('contoso', 'my-offer', offer, { ifMatch: etag })
 * } catch (error) {
 *   if (error instanceof CppApiError && error.status === 412) {
 *     // someone else changed the offer: GET it again, re-apply the edit, PUT again
 *   } else throw error
 * }
 */
export class CppApiError extends CloudPartnerError {
  readonly status: number
  readonly code: KnownErrorCode | (string & {})
  /** `x-ms-request-id` of the answer: quote it when reporting a problem to the service's owners. */
  readonly requestId: string | undefined
  readonly correlationId: string | undefined
  /** What `Retry-After` asked for, in milliseconds, when the SDK gave up retrying. */
  readonly retryAfterMs: number | undefined
  readonly method: string
  readonly url: string

  constructor(init: {
    status: number
    code: string
    message: string
    requestId?: string | undefined
    correlationId?: string | undefined
    retryAfterMs?: number | undefined
    method: string
    url: string
  }) {
    super(init.message)
    this.name = 'CppApiError'
    this.status = init.status
    this.code = init.code
    this.requestId = init.requestId
    this.correlationId = init.correlationId
    this.retryAfterMs = init.retryAfterMs
    this.method = init.method
    this.url = init.url
  }
}

/**
 * The token service (Azure AD, or this server's) refused to issue a token: wrong secret, unknown
 * tenant or application, wrong scope. `error` is the OAuth error (`invalid_client`, …), `codes` the
 * AADSTS numbers, `description` the first line of `error_description`.
 */
export class AadTokenError extends CloudPartnerError {
  readonly status: number
  readonly error: string
  readonly description: string
  readonly codes: readonly number[]
  readonly traceId: string | undefined
  readonly correlationId: string | undefined
  readonly tokenEndpoint: string

  constructor(init: {
    status: number
    error: string
    description: string
    codes: readonly number[]
    traceId?: string | undefined
    correlationId?: string | undefined
    tokenEndpoint: string
  }) {
    super(`${init.error}: ${init.description}`)
    this.name = 'AadTokenError'
    this.status = init.status
    this.error = init.error
    this.description = init.description
    this.codes = init.codes
    this.traceId = init.traceId
    this.correlationId = init.correlationId
    this.tokenEndpoint = init.tokenEndpoint
  }
}

/**
 * The service could not be reached, or did not answer in time, on every attempt: connection
 * refused, reset, DNS failure, timeout. `cause` holds the last underlying error.
 */
export class CppNetworkError extends CloudPartnerError {
  readonly method: string
  readonly url: string
  readonly attempts: number

  constructor(init: { method: string; url: string; attempts: number; cause: unknown }) {
    const reason = describeCause(init.cause)
    super(`${init.method} ${init.url} failed after ${init.attempts} attempt(s): ${reason}`, {
      cause: init.cause,
    })
    this.name = 'CppNetworkError'
    this.method = init.method
    this.url = init.url
    this.attempts = init.attempts
  }
}

/**
 * A long-running operation ended without success: `failed` or `canceled`. `detail` is its last
 * state; `errors` says why (errorMessagesOf).
 */
export class OperationFailedError extends CloudPartnerError {
  readonly status: Extract<OperationStatus, 'failed' | 'canceled'>
  readonly detail: OperationDetail
  readonly errors: readonly string[]
  readonly location: string

  constructor(init: { detail: OperationDetail; location: string }) {
    const errors = errorMessagesOf(init.detail)
    const status = init.detail.status === 'canceled' ? 'canceled' : 'failed'
    super(`The operation ${status}${errors.length > 0 ? `: ${errors.join(' ')}` : '.'}`)
    this.name = 'OperationFailedError'
    this.status = status
    this.detail = init.detail
    this.errors = errors
    this.location = init.location
  }
}

/**
 * Why an operation failed, as plain text: the error-level messages of its steps (the news, e.g.
 * "No virtual machine image was found for the plan contoso."), or of the operation when its steps
 * have none.
 */
export function errorMessagesOf(detail: Pick<OperationDetail, 'messages' | 'steps'>): string[] {
  const errors = (messages: OperationDetail['messages']) =>
    messages.filter((message) => message.level === 'error').map((message) => stripHtml(message.messageHtml))
  const steps = errors(detail.steps.flatMap((step) => step.messages))
  return steps.length > 0 ? steps : errors(detail.messages)
}

function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause)
  const inner = (cause as { cause?: unknown }).cause
  const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code
  if (cause.name === 'TimeoutError') return 'no answer in time'
  if (typeof code === 'string') return `${code}${inner instanceof Error ? ` (${inner.message})` : ''}`
  return inner instanceof Error ? inner.message : cause.message
}
