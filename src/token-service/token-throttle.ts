import { createRateLimiter, type RateLimiter } from '../throttling/rate-limiter.ts'
import { createWorkGate, type Lane, type WorkGate } from '../throttling/work-gate.ts'
import { AadError, aadErrors } from './aad-error.ts'

/**
 * What keeps the unauthenticated token endpoint from being used to burn the server's CPU or guess
 * secrets (docs/throttling.md):
 * - per source address and per client id, `ratePerMinute` requests a minute (token buckets);
 * - per client id and address, wrong secrets back off: after FREE_FAILURES in a row, each further
 *   one doubles the wait before the next attempt is even looked at (up to MAX_BACKOFF_SECONDS);
 * - the scrypt hashes that check secrets run HASH_CONCURRENCY at a time, with callers that have
 *   been sending wrong secrets queued behind those that have not, and at most HASH_QUEUE waiting.
 * Every refusal is Azure AD's 429 with Retry-After, decided before any hashing.
 */
export const FREE_FAILURES = 5
export const MAX_BACKOFF_SECONDS = 300
/** scrypt runs on libuv's 4 threads: two leave room for everything else that uses them (fs, dns). */
export const HASH_CONCURRENCY = 2
export const HASH_QUEUE = 64
const MAX_TRACKED_FAILURES = 100_000

export interface TokenThrottle {
  /** Throws the 429 AadError when this request may not be looked at now. */
  admit(address: string, clientId: string | undefined, nowMs: number): void
  /** The hashing lane of a caller: suspect when it sent a wrong secret lately. */
  lane(address: string, clientId: string): Lane
  /** Runs a secret check through the bounded hashing; throws the 429 when the queue is full. */
  hash<T>(lane: Lane, work: () => Promise<T>): Promise<T>
  failed(address: string, clientId: string, nowMs: number): void
  succeeded(address: string, clientId: string): void
}

export interface TokenThrottleOptions {
  /** Requests a minute per address and per client id; 0: no rate limit (backoff and hashing bounds stay). */
  readonly ratePerMinute: number
  /** Told of every refusal, e.g. for a throttled-requests counter. */
  readonly onThrottled?: (reason: 'address' | 'client' | 'backoff' | 'hashing') => void
  readonly hashing?: WorkGate
}

interface Failures {
  count: number
  untilMs: number
}

export function createTokenThrottle(options: TokenThrottleOptions): TokenThrottle {
  const unlimited = { take: () => undefined }
  const perAddress: RateLimiter =
    options.ratePerMinute > 0 ? createRateLimiter(options.ratePerMinute) : unlimited
  const perClient: RateLimiter =
    options.ratePerMinute > 0 ? createRateLimiter(options.ratePerMinute) : unlimited
  const hashing = options.hashing ?? createWorkGate(HASH_CONCURRENCY, HASH_QUEUE)
  const failures = new Map<string, Failures>()
  const keyOf = (address: string, clientId: string) => `${clientId}\n${address}`
  const refuse = (reason: 'address' | 'client' | 'backoff' | 'hashing', what: string, seconds: number) => {
    options.onThrottled?.(reason)
    return aadErrors.throttled(what, seconds)
  }

  return {
    admit(address, clientId, nowMs) {
      const byAddress = perAddress.take(address, nowMs)
      if (byAddress !== undefined) throw refuse('address', 'from this address', byAddress)
      if (clientId === undefined) return
      const byClient = perClient.take(clientId, nowMs)
      if (byClient !== undefined) throw refuse('client', 'for this application', byClient)
      const backoff = failures.get(keyOf(address, clientId))
      if (backoff && backoff.untilMs > nowMs) {
        throw refuse('backoff', 'with an invalid client secret', Math.ceil((backoff.untilMs - nowMs) / 1000))
      }
    },
    lane(address, clientId) {
      return failures.has(keyOf(address, clientId)) ? 'suspect' : 'trusted'
    },
    async hash(lane, work) {
      const result = await hashing.run(lane, async () => ({ value: await work() }))
      if (result === undefined) throw refuse('hashing', 'checking client secrets', 1)
      return result.value
    },
    failed(address, clientId, nowMs) {
      const key = keyOf(address, clientId)
      const entry = failures.get(key) ?? { count: 0, untilMs: 0 }
      failures.delete(key)
      entry.count += 1
      if (entry.count >= FREE_FAILURES) {
        const seconds = Math.min(MAX_BACKOFF_SECONDS, 2 ** (entry.count - FREE_FAILURES))
        entry.untilMs = nowMs + seconds * 1000
      }
      failures.set(key, entry)
      if (failures.size > MAX_TRACKED_FAILURES) failures.delete(failures.keys().next().value as string)
    },
    succeeded(address, clientId) {
      failures.delete(keyOf(address, clientId))
    },
  }
}

export function isInvalidSecret(error: unknown): boolean {
  return error instanceof AadError && error.aadsts === 7000215
}
