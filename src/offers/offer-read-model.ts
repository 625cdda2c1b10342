import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import { errors } from '../errors/errors.ts'
import { withServerDefaults } from '../offer-types/offer-type-rules.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { nextTimestamp } from '../timestamps.ts'
import { formatEtag, isAnyTag, matchesEtag, parseIfMatch } from './etag.ts'
import { type Offer, type OfferSummary, SLOTS, type Slot } from './offer.ts'
import {
  createOfferAnswerCache,
  DEFAULT_ANSWER_CACHE_BYTES,
  jsonBody,
  type OfferAnswer,
} from './offer-answer-cache.ts'
import { parseOfferFilter } from './offer-filter.ts'
import { readOfferInput } from './offer-input.ts'
import { type OfferSnapshot, toOfferResponse } from './offer-response.ts'
import { createOfferSecrets } from './offer-secrets.ts'
import type { DraftReplacement, OfferStamp, OfferStore } from './offers.store.ts'

/** An offer as answered: the exact body and the draft's ETag. */
export type OfferView = OfferAnswer

/** Versions are INTEGER columns; a larger number cannot exist (and PostgreSQL would refuse it). */
const MAX_VERSION = 2_147_483_647
/**
 * A last-one-wins write (If-Match: *) still compares and sets, so that every write gets an ETag of
 * its own; when another write slips in between, it reads again. Every round has a winner, so N
 * simultaneous writers all finish within N rounds; this bounds the retries well above that.
 */
const MAX_WRITE_ATTEMPTS = 50

/** The rules of reading and writing offers; HTTP-free. */
export function createOfferService(deps: {
  offers: OfferStore
  access: PublisherAccess
  clock: Clock
  masterKey: Buffer
  /** looseIfMatch: a PUT of an existing offer without If-Match is last-one-wins (Appendix A, conflict 4). */
  config: Pick<Config, 'looseIfMatch'>
  /** Bytes of rendered GET answers kept in this process (offer-answer-cache.ts); 0 keeps none. */
  answerCacheBytes?: number
}) {
  const { offers } = deps
  const secrets = createOfferSecrets(deps.masterKey)
  const answers = createOfferAnswerCache(deps.answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES)

  async function requireStamp(caller: Caller, publisherId: string, offerId: string): Promise<OfferStamp> {
    await deps.access.require(caller, publisherId)
    const stamp = await offers.findOfferStamp(publisherId, offerId)
    if (!stamp) throw errors.offerNotFound(publisherId, offerId)
    return stamp
  }

  /** Every answer carries the draft's ETag, whichever version it returns. */
  const render = (snapshot: OfferSnapshot, draftChangedTime: string): OfferView => ({
    body: jsonBody(toOfferResponse(snapshot)),
    etag: formatEtag(draftChangedTime),
  })

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
    const read = await offers.findStampedOffer(publisherId, offerId)
    if (!read) throw errors.offerNotFound(publisherId, offerId)
    if (version !== undefined && read.stamp.version !== version) {
      return versionAnswer(publisherId, offerId, version, read.stamp)
    }
    const answer = render(read.offer, read.offer.changedTime)
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
    const snapshot = await offers.findVersion(publisherId, offerId, version)
    if (!snapshot) throw notFound()
    const answer = render(
      { ...snapshot, id: offerId, status: stamp.status, changedTime: snapshot.createdTime },
      stamp.changedTime,
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
    /**
     * Checks access and the filter first, so that every error is known before the answer streams.
     * A list of at most `wholeUpTo` summaries is answered whole, from one read; a longer one is read
     * again, as one stream (one statement, so one consistent list however long it takes to send).
     */
    async listOffers(
      caller: Caller,
      publisherId: string,
      filter: string | undefined,
      wholeUpTo = 0,
    ): Promise<OfferSummary[] | AsyncIterable<OfferSummary>> {
      await deps.access.require(caller, publisherId)
      const parsed = parseOfferFilter(filter)
      if (wholeUpTo > 0) {
        const first = await offers.listFirstOfferSummaries(publisherId, parsed, wholeUpTo + 1)
        if (first.length <= wholeUpTo) return first
      }
      return offers.listOfferSummaries(publisherId, parsed)
    },

    /** The draft (E4, no slot). */
    async getOffer(caller: Caller, publisherId: string, offerId: string): Promise<OfferView> {
      return draftAnswer(publisherId, offerId, await requireStamp(caller, publisherId, offerId))
    },

    /** The draft when `version` is the one being edited, else the snapshot published as `version`. */
    async getVersion(
      caller: Caller,
      publisherId: string,
      offerId: string,
      version: number,
    ): Promise<OfferView> {
      return versionAnswer(publisherId, offerId, version, await requireStamp(caller, publisherId, offerId))
    },

    /** Draft, Preview or Production; 404 for a slot the offer never reached. */
    async getSlot(caller: Caller, publisherId: string, offerId: string, slot: Slot): Promise<OfferView> {
      if (slot === 'draft')
        return draftAnswer(publisherId, offerId, await requireStamp(caller, publisherId, offerId))
      await deps.access.require(caller, publisherId)
      const found = await offers.findSlotStamp(publisherId, offerId, slot)
      if (!found) throw errors.offerNotFound(publisherId, offerId)
      const notFound = () => errors.offerSlotNotFound(publisherId, offerId, slot)
      if (found.slotVersion === undefined) throw notFound()
      return publishedAnswer(publisherId, offerId, found.slotVersion, found.stamp, notFound)
    },

    /**
     * Creates or replaces the draft (E6) under the If-Match rules of reference §3.5: none creates, or
     * writes whatever is there (409 on an existing offer when not loose), `*` writes whatever is there,
     * an ETag writes only the draft it names (412 otherwise). `If-None-Match: *` only creates. The
     * check and the write are one compare-and-set in the store.
     */
    async putOffer(
      caller: Caller,
      target: { publisherId: string; offerId: string },
      body: unknown,
      conditions: { ifMatch: string | undefined; ifNoneMatch: string | undefined },
    ): Promise<{ view: OfferView; created: boolean }> {
      const { publisherId, offerId } = target
      await deps.access.require(caller, publisherId)
      const ifMatch = parseIfMatch(conditions.ifMatch)
      const createOnly = isAnyTag(conditions.ifNoneMatch)
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
        const current = await offers.findOffer(publisherId, offerId)
        const input = readOfferInput(body, target, current)
        if (!current) {
          if (ifMatch.kind === 'tags') {
            throw errors.preconditionFailed(
              `Offer '${offerId}' does not exist, so no ETag can match: leave If-Match out, or send If-Match: *, to create it.`,
            )
          }
          const { definition, sealedSecrets } = secrets.takeSecrets(input.definition, undefined)
          const changedTime = nextTimestamp(deps.clock.now())
          const offer: Offer = {
            publisherId,
            id: offerId,
            offerTypeId: input.offerTypeId,
            status: 'neverPublished',
            version: 1,
            definition: withServerDefaults(input.offerTypeId, definition),
            extras: input.extras,
            changedTime,
            ...(sealedSecrets === undefined ? {} : { sealedSecrets }),
          }
          if (await offers.createOffer(offer, changedTime))
            return { view: render(offer, offer.changedTime), created: true }
          continue // created by another request meanwhile: decide again, against that offer
        }
        if (createOnly || (ifMatch.kind === 'absent' && !deps.config.looseIfMatch))
          throw errors.offerIdTaken()
        if (ifMatch.kind === 'tags' && !matchesEtag(ifMatch, current.changedTime)) throw stale(offerId)
        const { definition, sealedSecrets } = secrets.takeSecrets(input.definition, current.sealedSecrets)
        const draft: DraftReplacement = {
          publisherId,
          id: offerId,
          definition: withServerDefaults(input.offerTypeId, definition),
          extras: input.extras,
          changedTime: nextTimestamp(deps.clock.now(), current.changedTime),
          ...(sealedSecrets === undefined ? {} : { sealedSecrets }),
        }
        if (await offers.replaceDraft(draft, current.changedTime)) {
          const written = { ...current, ...draft }
          return { view: render(written, written.changedTime), created: false }
        }
        if (ifMatch.kind === 'tags') throw stale(offerId)
      }
      throw errors.serviceUnavailable(`Offer '${offerId}' is being changed by other requests; try again.`)
    },
  }
}

/** Slot names in any case (Debian sends `production`, the reference `Production`). */
export function parseSlot(name: string): Slot {
  const slot = SLOTS.find((candidate) => candidate === name.toLowerCase())
  if (!slot) throw errors.badRequest(`Unknown slot '${name}'. Slots: Draft, Preview, Production.`)
  return slot
}

function stale(offerId: string) {
  return errors.preconditionFailed(
    `Offer '${offerId}' has changed since the ETag you sent was read. GET it again and send its ETag in If-Match, or send If-Match: * to overwrite it.`,
  )
}

export type OfferService = ReturnType<typeof createOfferService>
