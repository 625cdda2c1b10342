import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import { errors } from '../errors/errors.ts'
import { withServerDefaults } from '../offer-types/offer-type-rules.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { nextTimestamp } from '../timestamps.ts'
import { formatEtag, matchesEtag, parseIfMatch } from './etag.ts'
import { type Offer, type OfferSummary, SLOTS, type Slot } from './offer.ts'
import { parseOfferFilter } from './offer-filter.ts'
import { readOfferInput } from './offer-input.ts'
import { type OfferSnapshot, toOfferResponse } from './offer-response.ts'
import { createOfferSecrets } from './offer-secrets.ts'
import type { DraftReplacement, OfferStore } from './offers.store.ts'

/** An offer as answered: the body and the draft's ETag. */
export interface OfferView {
  readonly body: Record<string, unknown>
  readonly etag: string
}

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
}) {
  const { offers } = deps
  const secrets = createOfferSecrets(deps.masterKey)

  async function requireAccess(caller: Caller, publisherId: string): Promise<void> {
    if (caller.principalId === undefined) throw errors.forbidden(publisherId)
    await deps.access.requirePublisher(caller.principalId, publisherId)
  }

  async function requireOffer(caller: Caller, publisherId: string, offerId: string): Promise<Offer> {
    await requireAccess(caller, publisherId)
    const offer = await offers.findOffer(publisherId, offerId)
    if (!offer) throw errors.offerNotFound(publisherId, offerId)
    return offer
  }

  /** Every GET answers with the draft's ETag, whichever version it returns. */
  const view = (snapshot: OfferSnapshot, draft: Offer): OfferView => ({
    body: toOfferResponse(snapshot),
    etag: formatEtag(draft.changedTime),
  })

  return {
    /** Checks access and the filter first, so that every error is known before the answer streams. */
    async listOffers(
      caller: Caller,
      publisherId: string,
      filter: string | undefined,
    ): Promise<AsyncIterable<OfferSummary>> {
      await requireAccess(caller, publisherId)
      return offers.listOfferSummaries(publisherId, parseOfferFilter(filter))
    },

    /** The draft (E4, no slot). */
    async getOffer(caller: Caller, publisherId: string, offerId: string): Promise<OfferView> {
      const draft = await requireOffer(caller, publisherId, offerId)
      return view(draft, draft)
    },

    /** The draft when `version` is the one being edited, else the snapshot published as `version`. */
    async getVersion(
      caller: Caller,
      publisherId: string,
      offerId: string,
      version: number,
    ): Promise<OfferView> {
      const draft = await requireOffer(caller, publisherId, offerId)
      if (version === draft.version) return view(draft, draft)
      const snapshot =
        version >= 1 && version < draft.version && version <= MAX_VERSION
          ? await offers.findVersion(publisherId, offerId, version)
          : undefined
      if (!snapshot) throw errors.offerVersionNotFound(publisherId, offerId, version)
      return view(
        {
          ...snapshot,
          id: offerId,
          status: draft.status,
          changedTime: snapshot.createdTime,
        },
        draft,
      )
    },

    /** Draft, Preview or Production; 404 for a slot the offer never reached. */
    async getSlot(caller: Caller, publisherId: string, offerId: string, slot: Slot): Promise<OfferView> {
      const draft = await requireOffer(caller, publisherId, offerId)
      if (slot === 'draft') return view(draft, draft)
      const snapshot = await offers.findSlot(publisherId, offerId, slot)
      if (!snapshot) throw errors.offerSlotNotFound(publisherId, offerId, slot)
      return view(
        { ...snapshot, id: offerId, status: draft.status, changedTime: snapshot.createdTime },
        draft,
      )
    },

    /**
     * Creates or replaces the draft (E6) under the If-Match rules of reference §3.5: none creates (409
     * on an existing offer, unless loose), `*` writes whatever is there, an ETag writes only the draft
     * it names (412 otherwise). The check and the write are one compare-and-set in the store.
     */
    async putOffer(
      caller: Caller,
      target: { publisherId: string; offerId: string },
      body: unknown,
      ifMatchHeader: string | undefined,
    ): Promise<{ view: OfferView; created: boolean }> {
      const { publisherId, offerId } = target
      await requireAccess(caller, publisherId)
      const ifMatch = parseIfMatch(ifMatchHeader)
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
          if (await offers.createOffer(offer, changedTime)) return { view: view(offer, offer), created: true }
          continue // created by another request meanwhile: decide again, against that offer
        }
        if (ifMatch.kind === 'absent' && !deps.config.looseIfMatch) throw errors.offerIdTaken()
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
          return { view: view(written, written), created: false }
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
