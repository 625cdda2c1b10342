import type { AuditStore } from '../audit/audit.store.ts'
import type { AuditRecorder } from '../audit/record-change.ts'
import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import { errors } from '../errors/errors.ts'
import { Turns } from '../json-in-turns.ts'
import { withServerDefaults } from '../offer-types/offer-type-rules.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { nextTimestamp } from '../timestamps.ts'
import { serializeDefinition } from './definition-json.ts'
import { formatEtag, isAnyTag, matchesEtag, parseIfMatch } from './etag.ts'
import type { Offer } from './offer.ts'
import { offerDiff } from './offer-diff.ts'
import { readOfferInput } from './offer-input.ts'
import { type OfferView, renderOffer } from './offer-response.ts'
import { createOfferSecrets, type OfferSecrets } from './offer-secrets.ts'
import type { DraftReplacement, OfferStore } from './offers.store.ts'

/**
 * A last-one-wins write (If-Match: *) still compares and sets, so that every write gets an ETag of
 * its own; when another write slips in between, it reads again. Every round has a winner, so N
 * simultaneous writers all finish within N rounds; this bounds the retries well above that.
 */
const MAX_WRITE_ATTEMPTS = 50

/** The write path of offers (E6); HTTP-free. What GET answers is offer-read-model.ts. */
export interface OfferService {
  /**
   * Creates or replaces the draft (E6) under the If-Match rules of reference §3.5: none creates, or
   * writes whatever is there (409 on an existing offer when not loose), `*` writes whatever is there,
   * an ETag writes only the draft it names (412 otherwise). `If-None-Match: *` only creates. The
   * check and the write are one compare-and-set in the store.
   */
  putOffer(
    caller: Caller,
    target: { publisherId: string; offerId: string },
    body: unknown,
    conditions: { ifMatch: string | undefined; ifNoneMatch: string | undefined },
  ): Promise<{ view: OfferView; created: boolean }>
}

export function createOfferService(deps: {
  offers: OfferStore
  /** One unit of work: the write and its audit record commit together, or neither does. */
  transaction<T>(work: (set: { offers: OfferStore; audit: AuditStore }) => Promise<T>): Promise<T>
  audit: AuditRecorder
  access: PublisherAccess
  clock: Clock
  /** Seals the secret fields of definitions (offer-secrets.ts); asked for on the first write. */
  masterKey: () => Buffer
  /** looseIfMatch: a PUT of an existing offer without If-Match is last-one-wins (Appendix A, conflict 4). */
  config: Pick<Config, 'looseIfMatch'>
}): OfferService {
  const { offers } = deps
  let sealer: OfferSecrets | undefined
  const secrets = () => {
    sealer ??= createOfferSecrets(deps.masterKey())
    return sealer
  }

  return {
    async putOffer(caller, target, body, conditions) {
      const { publisherId, offerId } = target
      await deps.access.require(caller, publisherId)
      const ifMatch = parseIfMatch(conditions.ifMatch)
      const createOnly = isAnyTag(conditions.ifNoneMatch)
      // A large offer is read, checked, serialized, compared and answered in turns of the event
      // loop, so that other requests are served meanwhile (docs/performance.md, "Largest bodies").
      const turns = new Turns()
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
        const current = await offers.findOffer(publisherId, offerId)
        await turns.pause()
        const input = readOfferInput(body, target, current)
        await turns.pause()
        if (!current) {
          if (ifMatch.kind === 'tags') {
            throw errors.preconditionFailed(
              `Offer '${offerId}' does not exist, so no ETag can match: leave If-Match out, or send If-Match: *, to create it.`,
            )
          }
          const { definition, sealedSecrets } = secrets().takeSecrets(input.definition, undefined)
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
          // Serialized once: the store writes this text and the answer is made of the same pieces.
          await serializeDefinition(offer.definition, turns)
          const created = await deps.transaction(async (set) => {
            if (!(await set.offers.createOffer(offer, changedTime))) return false
            await deps.audit.record(set.audit, {
              action: 'offer.put',
              publisherId,
              offerId,
              outcome: 'created',
              details: {
                etagBefore: null,
                etagAfter: formatEtag(changedTime),
                offerTypeId: offer.offerTypeId,
              },
            })
            return true
          })
          if (created) {
            await turns.pause()
            return { view: renderOffer(offer, offer.changedTime), created: true }
          }
          continue // created by another request meanwhile: decide again, against that offer
        }
        if (createOnly || (ifMatch.kind === 'absent' && !deps.config.looseIfMatch))
          throw errors.offerIdTaken()
        if (ifMatch.kind === 'tags' && !matchesEtag(ifMatch, current.changedTime)) throw stale(offerId)
        const { definition, sealedSecrets } = secrets().takeSecrets(input.definition, current.sealedSecrets)
        const draft: DraftReplacement = {
          publisherId,
          id: offerId,
          definition: withServerDefaults(input.offerTypeId, definition),
          extras: input.extras,
          changedTime: nextTimestamp(deps.clock.now(), current.changedTime),
          ...(sealedSecrets === undefined ? {} : { sealedSecrets }),
        }
        await serializeDefinition(draft.definition, turns)
        await turns.pause()
        // Secrets were taken out of both definitions before they were stored: not in the diff.
        const changes = offerDiff(current, draft)
        await turns.pause()
        const replaced = await deps.transaction(async (set) => {
          if (!(await set.offers.replaceDraft(draft, current.changedTime))) return false
          await deps.audit.record(set.audit, {
            action: 'offer.put',
            publisherId,
            offerId,
            outcome: 'replaced',
            details: {
              etagBefore: formatEtag(current.changedTime),
              etagAfter: formatEtag(draft.changedTime),
              ...changes,
            },
          })
          return true
        })
        if (replaced) {
          await turns.pause()
          const written = { ...current, ...draft }
          return { view: renderOffer(written, written.changedTime), created: false }
        }
        if (ifMatch.kind === 'tags') throw stale(offerId)
      }
      throw errors.serviceUnavailable(`Offer '${offerId}' is being changed by other requests; try again.`)
    },
  }
}

function stale(offerId: string) {
  return errors.preconditionFailed(
    `Offer '${offerId}' has changed since the ETag you sent was read. GET it again and send its ETag in If-Match, or send If-Match: * to overwrite it.`,
  )
}
