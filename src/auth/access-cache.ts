import { LRUCache } from 'lru-cache'
import type { Principal } from '../principals/principal.ts'
import type { PublisherGrant } from '../publishers/publishers.store.ts'
import { turnSharedReads } from '../turn-shared-reads.ts'

/** Distinct callers, and distinct (caller, publisher) pairs, kept; a lookup each beyond that. */
const ENTRIES = 10_000

interface Entry<Value> {
  readonly revision: number
  readonly value: Value
}

/**
 * What authentication and the access check read about a caller, kept per replica so that an
 * authenticated request reads one row (shared with the requests of its turn of the event loop)
 * instead of a principal and a grant. Every entry is tagged
 * with the store's access revision (PrincipalStore.accessRevision) read BEFORE its value was, and
 * used only while the revision read for the request is the same: a write to principals, grants or
 * publishers by any process increments it in the same transaction, so the very next request after
 * a revoke or a delete, on every replica, reads again (docs/performance.md, third round).
 */
export interface AccessCache {
  /**
   * The store's access revision, read by a statement that starts after this call: shared by the
   * requests that ask in the same turn of the event loop (turn-shared-reads.ts), so that
   * an authenticated request costs a fraction of a statement, never a revision older than its
   * arrival.
   */
  revision(): Promise<number>
  /** The registered principal a verified token's ids match (undefined: none), at `revision`. */
  principal(
    key: string,
    revision: number,
    load: () => Promise<Principal | undefined>,
  ): Promise<Principal | undefined>
  /** The principal's grant on the publisher, as PublisherStore.findGrantedPublisher answers it. */
  grant(
    principalId: string,
    publisherId: string,
    revision: number,
    load: () => Promise<PublisherGrant | undefined>,
  ): Promise<PublisherGrant | undefined>
  /** Lookups answered from the cache, and lookups that read the store (for metrics and tests). */
  readonly hits: number
  readonly misses: number
}

export function createAccessCache(readRevision: () => Promise<number>): AccessCache {
  const sharedRevision = turnSharedReads<number>()
  const principals = new LRUCache<string, Entry<Principal | undefined>>({ max: ENTRIES })
  const grants = new LRUCache<string, Entry<PublisherGrant | undefined>>({ max: ENTRIES })
  let hits = 0
  let misses = 0

  async function through<Value>(
    cache: LRUCache<string, Entry<Value>>,
    key: string,
    revision: number,
    load: () => Promise<Value>,
  ): Promise<Value> {
    const entry = cache.get(key)
    if (entry !== undefined && entry.revision === revision) {
      hits += 1
      return entry.value
    }
    misses += 1
    const value = await load()
    // Read after `revision`: it is at least as new as the revision says, never older.
    cache.set(key, { revision, value })
    return value
  }

  return {
    revision: () => sharedRevision('', readRevision),
    principal: (key, revision, load) => through(principals, key, revision, load),
    grant: (principalId, publisherId, revision, load) =>
      through(grants, `${principalId}\n${publisherId}`, revision, load),
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
  }
}
