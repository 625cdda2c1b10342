/**
 * Token buckets, one per key (a principal, a client id, a source address): `ratePerMinute` requests
 * a minute on average, with bursts up to that many at once. In memory, per process: see
 * docs/throttling.md for why each replica counts its own.
 *
 * The keys are bounded: an attacker cycling through addresses or client ids cannot grow the map
 * without limit. A full map forgets the least recently used bucket first (a Map iterates in insertion
 * order, and every use re-inserts), which at worst hands that key a fresh burst.
 */
export interface RateLimiter {
  /** Takes one request from `key`'s bucket: undefined when allowed, else the seconds until it would be. */
  take(key: string, nowMs: number): number | undefined
}

const DEFAULT_MAX_KEYS = 100_000

interface Bucket {
  tokens: number
  atMs: number
}

export function createRateLimiter(ratePerMinute: number, maxKeys = DEFAULT_MAX_KEYS): RateLimiter {
  const perMs = ratePerMinute / 60_000
  const buckets = new Map<string, Bucket>()
  return {
    take(key, nowMs) {
      const bucket = buckets.get(key) ?? { tokens: ratePerMinute, atMs: nowMs }
      buckets.delete(key)
      bucket.tokens = Math.min(ratePerMinute, bucket.tokens + Math.max(0, nowMs - bucket.atMs) * perMs)
      bucket.atMs = nowMs
      buckets.set(key, bucket)
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return undefined
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
    },
  }
}
