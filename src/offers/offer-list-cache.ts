import { LRUCache } from 'lru-cache'
import type { OfferFilter } from './offer.ts'

/** Keys, the entry and the cache's own bookkeeping, roughly, besides the chunks. */
const ENTRY_OVERHEAD_BYTES = 300

interface Entry {
  readonly stamp: string
  readonly chunks: readonly Buffer[]
}

/**
 * List answers already serialized, in their chunks, per publisher and `$filter`: answering an
 * unchanged namespace reads one aggregate of the covering index (OfferStore.findNamespaceStamp)
 * instead of its rows, and serializes nothing. An entry is used only while the namespace's stamp,
 * read on every request before the list, is the one it was listed at: a write by any process
 * changes it. Least recently used answers go first once their bytes exceed `maxBytes`; one answer
 * takes at most an eighth; 0 turns the cache off.
 */
export interface OfferListCache {
  get(publisherId: string, filter: OfferFilter, stamp: string): readonly Buffer[] | undefined
  /** Keeps the chunks listed after `stamp` was read (so at least as new as it says). */
  set(publisherId: string, filter: OfferFilter, stamp: string, chunks: readonly Buffer[]): void
  /** Answers served from the cache, and answers listed from the store (for metrics and tests). */
  readonly hits: number
  readonly misses: number
  /** Bytes held. */
  readonly size: number
  /** The largest answer kept, in bytes of its chunks; 0 when the cache is off. */
  readonly maxAnswerBytes: number
}

export function createOfferListCache(maxBytes: number): OfferListCache {
  const maxAnswerBytes = maxBytes > 0 ? Math.max(1, Math.floor(maxBytes / 8)) : 0
  const cache =
    maxBytes > 0
      ? new LRUCache<string, Entry>({
          maxSize: maxBytes,
          maxEntrySize: maxAnswerBytes,
          sizeCalculation: (entry, key) =>
            entry.chunks.reduce((bytes, chunk) => bytes + chunk.length, 0) +
            key.length * 2 +
            ENTRY_OVERHEAD_BYTES,
        })
      : undefined
  // The parsed filter, so that one filter written two ways shares its entry; JSON, so that no
  // offer type id a client writes (an empty one, one with a newline) reads as another key.
  const keyOf = (publisherId: string, filter: OfferFilter) =>
    JSON.stringify([publisherId, filter.offerTypeId ?? null, filter.status ?? null])
  let hits = 0
  let misses = 0

  return {
    get(publisherId, filter, stamp) {
      const entry = cache?.get(keyOf(publisherId, filter))
      if (entry?.stamp === stamp) {
        hits += 1
        return entry.chunks
      }
      misses += 1
      return undefined
    },
    set(publisherId, filter, stamp, chunks) {
      cache?.set(keyOf(publisherId, filter), { stamp, chunks })
    },
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
    get size() {
      return cache?.calculatedSize ?? 0
    },
    maxAnswerBytes,
  }
}
