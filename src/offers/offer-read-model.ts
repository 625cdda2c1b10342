import type { Caller } from '../auth/caller.ts'
import { errors } from '../errors/errors.ts'
import { Turns } from '../json-in-turns.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { turnSharedReads } from '../turn-shared-reads.ts'
import { type OfferSummary, SLOTS, type Slot } from './offer.ts'
import {
  type AnswerCacheObserver,
  createOfferAnswerCache,
  DEFAULT_ANSWER_CACHE_BYTES,
} from './offer-answer-cache.ts'
import { parseOfferFilter } from './offer-filter.ts'
import { createOfferListCache } from './offer-list-cache.ts'
import type { OfferPage, OfferPageQuery } from './offer-page.ts'
import { type OfferView, renderOfferInTurns } from './offer-response.ts'
import type { NamespaceStamp, OfferStamp, OfferStore } from './offers.store.ts'

/** Versions are INTEGER columns; a larger number cannot exist (and PostgreSQL would refuse it). */
const MAX_VERSION = 2_147_483_647

/**
 * A list answer: as it was sent before (its chunks, kept by `keep`), or the items, read whole or
 * as a stream, for the caller to serialize and send, and to give to `keep` in the chunks it sent.
 * The read model keeps what it is given without looking into it; the wire format is the routes'.
 */
export type OfferListAnswer =
  | { readonly chunks: readonly Buffer[] }
  | {
      readonly items: readonly OfferSummary[] | AsyncIterable<OfferSummary>
      /** Bytes of chunks worth collecting for `keep`; a longer answer is not kept. */
      readonly keepUpTo: number
      /** The most items the list can have (the namespace's offers): with the first chunk's size,
       * whether collecting is worth it at all. */
      readonly atMostItems: number
      readonly keep: (chunks: readonly Buffer[]) => void
    }

/**
 * The read side of offers (E1–E4): what GET answers, with its answers kept rendered (the answer
 * cache) while the offer is unchanged. HTTP-free. The write path is offers.service.ts.
 */
export interface OfferReadModel {
  /**
   * Checks access and the filter first, so that every error is known before the answer streams.
   * An answer kept since the namespace last changed is answered as it was (offer-list-cache.ts).
   * Else a list of at most `wholeUpTo` summaries is answered whole, from one read; a longer one is
   * read again, as one stream (one statement, so one consistent list however long it takes to send).
   */
  listOffers(
    caller: Caller,
    publisherId: string,
    filter: string | undefined,
    wholeUpTo?: number,
  ): Promise<OfferListAnswer>
  /** A page of the publisher's offers, as the portal's table shows them (offer-page.ts). */
  listOfferPage(caller: Caller, publisherId: string, query: OfferPageQuery): Promise<OfferPage>
  /** The draft (E4, no slot). */
  getOffer(caller: Caller, publisherId: string, offerId: string): Promise<OfferView>
  /** The draft when `version` is the one being edited, else the snapshot published as `version`. */
  getVersion(caller: Caller, publisherId: string, offerId: string, version: number): Promise<OfferView>
  /** Draft, Preview or Production; 404 for a slot the offer never reached. */
  getSlot(caller: Caller, publisherId: string, offerId: string, slot: Slot): Promise<OfferView>
  /** Bytes the answer cache holds (metrics). */
  cachedBytes(): number
  /** How often each cache answered, and how often the store was read instead (metrics, tests). */
  readonly cacheCounts: {
    readonly answers: CacheCounts
    readonly lists: CacheCounts
  }
}

export interface CacheCounts {
  readonly hits: number
  readonly misses: number
}

export function createOfferReadModel(deps: {
  offers: OfferStore
  access: PublisherAccess
  /**
   * Bytes of rendered GET answers kept in this process (offer-answer-cache.ts), and as many of list
   * answers (offer-list-cache.ts); 0 keeps none.
   */
  answerCacheBytes?: number
  answerCacheObserver?: AnswerCacheObserver | undefined
}): OfferReadModel {
  const { offers } = deps
  const cacheBytes = deps.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES
  const answers = createOfferAnswerCache(cacheBytes, deps.answerCacheObserver)
  const lists = createOfferListCache(cacheBytes)
  // The stamps the caches are checked against, read once per turn for the requests of that turn
  // (turn-shared-reads.ts): each still sees every write committed before it arrived.
  const offerStamps = turnSharedReads<OfferStamp | undefined>()
  const namespaceStamps = turnSharedReads<NamespaceStamp>()
  const findOfferStamp = (publisherId: string, offerId: string) =>
    offerStamps(`${publisherId.length}/${publisherId}/${offerId}`, () =>
      offers.findOfferStamp(publisherId, offerId),
    )
  const findNamespaceStamp = (publisherId: string) =>
    namespaceStamps(publisherId, () => offers.findNamespaceStamp(publisherId))

  async function requireStamp(caller: Caller, publisherId: string, offerId: string): Promise<OfferStamp> {
    await deps.access.require(caller, publisherId)
    const stamp = await findOfferStamp(publisherId, offerId)
    if (!stamp) throw errors.offerNotFound(publisherId, offerId)
    return stamp
  }

  /**
   * The draft's answer, rendered again only when the offer changed since (its stamp). On a miss the
   * full row is read with its own stamp, which a write may have moved on since `stamp` was read:
   * the answer and its ETag are then that newer draft's, cached under its stamp. Asked for by
   * version number, a draft published meanwhile is answered as the snapshot it became.
   */
  async function draftAnswer(
    publisherId: string,
    offerId: string,
    stamp: OfferStamp,
    version?: number,
  ): Promise<OfferView> {
    const cached = answers.get(publisherId, offerId, 'draft', stamp)
    if (cached) return cached
    // From the read on: a large offer is read and rendered in turns of the event loop.
    const turns = new Turns()
    const read = await offers.findStampedOffer(publisherId, offerId)
    if (!read) throw errors.offerNotFound(publisherId, offerId)
    if (version !== undefined && read.stamp.version !== version) {
      return versionAnswer(publisherId, offerId, version, read.stamp)
    }
    const answer = await renderOfferInTurns(read.offer, read.offer.changedTime, turns)
    answers.set(publisherId, offerId, 'draft', read.stamp, answer)
    return answer
  }

  /**
   * A published version as of `stamp`: the snapshot is immutable, the status and the ETag are the
   * draft's when the stamp was read, so the answer is cached under that stamp.
   */
  async function publishedAnswer(
    publisherId: string,
    offerId: string,
    version: number,
    stamp: OfferStamp,
    notFound: () => Error,
  ): Promise<OfferView> {
    const cached = answers.get(publisherId, offerId, version, stamp)
    if (cached) return cached
    const turns = new Turns()
    const snapshot = await offers.findVersion(publisherId, offerId, version)
    if (!snapshot) throw notFound()
    const answer = await renderOfferInTurns(
      { ...snapshot, id: offerId, status: stamp.status, changedTime: snapshot.createdTime },
      stamp.changedTime,
      turns,
    )
    answers.set(publisherId, offerId, version, stamp, answer)
    return answer
  }

  /** The draft when `version` is the one being edited, else the snapshot published as `version`. */
  async function versionAnswer(
    publisherId: string,
    offerId: string,
    version: number,
    stamp: OfferStamp,
  ): Promise<OfferView> {
    const notFound = () => errors.offerVersionNotFound(publisherId, offerId, version)
    if (version === stamp.version) return draftAnswer(publisherId, offerId, stamp, version)
    if (!(version >= 1 && version < stamp.version && version <= MAX_VERSION)) throw notFound()
    return publishedAnswer(publisherId, offerId, version, stamp, notFound)
  }

  return {
    cachedBytes: () => answers.size,

    cacheCounts: { answers, lists },
    async listOffers(caller, publisherId, filter, wholeUpTo = 0) {
      await deps.access.require(caller, publisherId)
      const parsed = parseOfferFilter(filter)
      // The stamp before the list: what is listed after it is at least as new as it says.
      const stamp = lists.maxAnswerBytes > 0 ? await findNamespaceStamp(publisherId) : undefined
      const cached = stamp === undefined ? undefined : lists.get(publisherId, parsed, stamp.value)
      if (cached) return { chunks: cached }
      const keep = (chunks: readonly Buffer[]) => {
        if (stamp !== undefined) lists.set(publisherId, parsed, stamp.value, chunks)
      }
      const keepUpTo = lists.maxAnswerBytes
      const atMostItems = stamp?.offers ?? Number.POSITIVE_INFINITY
      if (wholeUpTo > 0) {
        const first = await offers.listFirstOfferSummaries(publisherId, parsed, wholeUpTo + 1)
        if (first.length <= wholeUpTo) return { items: first, keepUpTo, atMostItems, keep }
      }
      return { items: offers.listOfferSummaries(publisherId, parsed), keepUpTo, atMostItems, keep }
    },

    async listOfferPage(caller, publisherId, query) {
      await deps.access.require(caller, publisherId)
      return offers.listOfferPage(publisherId, query)
    },

    async getOffer(caller, publisherId, offerId) {
      return draftAnswer(publisherId, offerId, await requireStamp(caller, publisherId, offerId))
    },

    async getVersion(caller, publisherId, offerId, version) {
      return versionAnswer(publisherId, offerId, version, await requireStamp(caller, publisherId, offerId))
    },

    async getSlot(caller, publisherId, offerId, slot) {
      if (slot === 'draft')
        return draftAnswer(publisherId, offerId, await requireStamp(caller, publisherId, offerId))
      await deps.access.require(caller, publisherId)
      const found = await offers.findSlotStamp(publisherId, offerId, slot)
      if (!found) throw errors.offerNotFound(publisherId, offerId)
      const notFound = () => errors.offerSlotNotFound(publisherId, offerId, slot)
      if (found.slotVersion === undefined) throw notFound()
      return publishedAnswer(publisherId, offerId, found.slotVersion, found.stamp, notFound)
    },
  }
}

/** Slot names in any case (Debian sends `production`, the reference `Production`). */
export function parseSlot(name: string): Slot {
  const slot = SLOTS.find((candidate) => candidate === name.toLowerCase())
  if (!slot) throw errors.badRequest(`Unknown slot '${name}'. Slots: Draft, Preview, Production.`)
  return slot
}
