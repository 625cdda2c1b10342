import type { Caller } from '../auth/caller.ts'
import { errors } from '../errors/errors.ts'
import { createRateLimiter } from './rate-limiter.ts'

/**
 * The API's rate limit: `ratePerMinute` requests a minute per principal (a token bucket, so a burst
 * of that many is fine), then 429 TooManyRequests in the envelope with Retry-After, which the SDK,
 * the CLI and the Azure clients wait for. 0 turns it off (the default in development).
 */
export interface ApiThrottle {
  /** Throws the 429 ApiError when the caller has used up its requests. */
  check(caller: Caller, nowMs: number): void
}

export function createApiThrottle(ratePerMinute: number, onThrottled?: () => void): ApiThrottle {
  if (ratePerMinute <= 0) return { check: () => undefined }
  const limiter = createRateLimiter(ratePerMinute)
  return {
    check(caller, nowMs) {
      // A principal, or an application of an external tenant that has none here.
      const key = caller.principalId ?? `${caller.tenantId}/${caller.clientId ?? caller.objectId ?? ''}`
      const retryAfter = limiter.take(key, nowMs)
      if (retryAfter === undefined) return
      onThrottled?.()
      throw errors.tooManyRequests(retryAfter)
    },
  }
}
