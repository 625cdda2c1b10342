import type { Runtime } from '../runtime.ts'

/**
 * When and how long to wait before trying a request again. The defaults retry three times (four
 * attempts), as go-retryablehttp does for devigned/pub, with exponential backoff and jitter.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4; 1 turns retrying off. */
  readonly maxAttempts?: number
  /** The first backoff, before jitter. Default 500 ms; doubles on each retry. */
  readonly baseDelayMs?: number
  /** The longest backoff. Default 30 s. */
  readonly maxDelayMs?: number
  /**
   * The longest `Retry-After` the SDK waits for. A server asking for more gets the error back at
   * once (with `retryAfterMs` on it) rather than a script silently blocked. Default 120 s.
   */
  readonly maxRetryAfterMs?: number
  /** Called before each wait, e.g. to log "retrying in 2 s (503)". */
  readonly onRetry?: (event: RetryEvent) => void
}

export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number
  readonly delayMs: number
  readonly method: string
  readonly url: string
  /** The status that is retried, or undefined for a network error. */
  readonly status: number | undefined
  /** The network error that is retried. */
  readonly error: unknown
}

export type RetryPolicy = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = {
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError('retry.maxAttempts must be an integer of at least 1')
  }
  return policy
}

/**
 * What one attempt came to: a value, or a failure that may be retried. `fail` builds the error to
 * throw when no retry is left (or the failure is not worth retrying).
 */
export type Attempt<T> =
  | { readonly done: true; readonly value: T }
  | {
      readonly done: false
      readonly retryable: boolean
      readonly status?: number
      readonly retryAfterMs?: number
      readonly error?: unknown
      /** The error to throw: `attempts` is how many were made, this one included. */
      readonly fail: (attempts: number) => Error
    }

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out. Waits with
 * `Retry-After` when the server sent one (seconds or an HTTP date), else with exponential backoff
 * and equal jitter. The signal stops waiting at once.
 */
export async function withRetries<T>(
  attempt: (number: number) => Promise<Attempt<T>>,
  context: {
    readonly policy: RetryPolicy
    readonly runtime: Runtime
    readonly method: string
    readonly url: string
    readonly signal?: AbortSignal | undefined
  },
): Promise<T> {
  const { policy, runtime } = context
  for (let number = 1; ; number += 1) {
    const outcome = await attempt(number)
    if (outcome.done) return outcome.value
    const tooLong = outcome.retryAfterMs !== undefined && outcome.retryAfterMs > policy.maxRetryAfterMs
    if (!outcome.retryable || number >= policy.maxAttempts || tooLong) {
      throw outcome.fail(number)
    }
    const delayMs = outcome.retryAfterMs ?? backoffDelay(number, policy, runtime.random())
    policy.onRetry?.({
      attempt: number,
      delayMs,
      method: context.method,
      url: context.url,
      status: outcome.status,
      error: outcome.error,
    })
    await runtime.sleep(delayMs, context.signal)
  }
}

/** Backoff before retry `attempt` (from 1): base·2^(attempt−1), capped, half of it jittered. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random * ceiling) / 2)
}

/**
 * Statuses worth another try: 429 (too many requests) and the transient 5xx. 501 and 505 say the
 * server will never do it; every other 4xx is the request's fault (reference §3.4: "clients should
 * not blindly retry 4xx").
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
}

/**
 * Statuses that say the request was not processed, so that even a request that must not run twice
 * (cancel) may be sent again.
 */
export function isNotProcessedStatus(status: number): boolean {
  return status === 429 || status === 503
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined
  return Math.max(0, date - nowMs)
}

/** Network errors where the request certainly never reached the server. */
export function neverSent(error: unknown): boolean {
  const code = networkErrorCode(error)
  return code !== undefined && NOT_SENT_CODES.has(code)
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * A request fetch refuses before connecting, which no retry can change: a port the Fetch standard
 * blocks ("bad port": 6000, 6665–6669, 25, …), a URL it cannot parse. Retrying those only delays
 * the same answer, so they fail on the first attempt.
 */
export function refusedByFetch(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false
  if (error.message.startsWith('Failed to parse URL')) return true
  // Any other TypeError ("terminated": the connection dropped mid-answer) is the network's: retried.
  const cause = (error as { cause?: unknown }).cause
  return (
    error.message === 'fetch failed' &&
    cause instanceof Error &&
    (cause as { code?: unknown }).code === undefined &&
    cause.message === 'bad port'
  )
}
