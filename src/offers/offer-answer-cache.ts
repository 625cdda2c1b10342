import { LRUCache } from 'lru-cache'
import type { OfferView } from './offer-response.ts'
import type { OfferStamp } from './offers.store.ts'

/** Which answer of an offer: its draft, or a published version by number. */
export type AnswerVariant = 'draft' | number

/** About 800 answers of a 20 KB offer. */
export const DEFAULT_ANSWER_CACHE_BYTES = 16 * 1024 * 1024
/** Keys, the entry and the cache's own bookkeeping, roughly, besides the body. */
const ENTRY_OVERHEAD_BYTES = 300

interface Entry {
  readonly stamp: string
  readonly answer: OfferView
}

/**
 * Answers of GET already rendered, so that reading an unchanged offer neither reads its definition
 * nor parses and serializes it again. An entry is used only while the offer's stamp, read from
 * the store on every request, is still the one it was rendered at: a write by any replica (or
 * the CLI) changes the stamp, so every replica sees it on its next read. Least recently used
 * answers go first once the bodies exceed `maxBytes`; 0 turns the cache off.
 */
export interface OfferAnswerCache {
  /** The answer rendered at `stamp`, when it is still the one kept. */
  get(publisherId: string, offerId: string, variant: AnswerVariant, stamp: OfferStamp): OfferView | undefined
  /** Keeps the answer rendered from content read with `stamp`, in place of any older one. */
  set(
    publisherId: string,
    offerId: string,
    variant: AnswerVariant,
    stamp: OfferStamp,
    answer: OfferView,
  ): void
  /** Bytes held (bodies and the overhead counted for them), for tests. */
  readonly size: number
  /** Answers served from the cache, and answers rendered from the store (for metrics and tests). */
  readonly hits: number
  readonly misses: number
}

/** Told of each lookup (the metrics); absent, a lookup costs nothing more. */
export interface AnswerCacheObserver {
  hit(): void
  miss(): void
}

export function createOfferAnswerCache(
  maxBytes: number = DEFAULT_ANSWER_CACHE_BYTES,
  observer?: AnswerCacheObserver,
): OfferAnswerCache {
  const cache =
    maxBytes > 0
      ? new LRUCache<string, Entry>({
          maxSize: maxBytes,
          // One very large offer should not push out most of the others.
          maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
          sizeCalculation: (entry, key) => entry.answer.body.length + key.length * 2 + ENTRY_OVERHEAD_BYTES,
        })
      : undefined
  const keyOf = (publisherId: string, offerId: string, variant: AnswerVariant) =>
    `${publisherId}\n${offerId}\n${variant}`
  const stampOf = (stamp: OfferStamp) =>
    `${stamp.revision}\n${stamp.changedTime}\n${stamp.status}\n${stamp.version}`

  let hits = 0
  let misses = 0

  return {
    get(publisherId, offerId, variant, stamp) {
      const entry = cache?.get(keyOf(publisherId, offerId, variant))
      if (entry?.stamp === stampOf(stamp)) {
        hits += 1
        observer?.hit()
        return entry.answer
      }
      misses += 1
      observer?.miss()
      return undefined
    },
    set(publisherId, offerId, variant, stamp, answer) {
      cache?.set(keyOf(publisherId, offerId, variant), { stamp: stampOf(stamp), answer })
    },
    get size() {
      return cache?.calculatedSize ?? 0
    },
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
  }
}
