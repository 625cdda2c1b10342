import type { AuditRecorder } from '../audit/record-change.ts'
import type { Clock } from '../clock.ts'
import { type NewPublisher, newPublisher, type Publisher } from '../publishers/publisher.ts'
import type { StoreSet, Stores } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { formatEtag } from './etag.ts'
import type { Offer } from './offer.ts'

export interface ImportOutcome {
  readonly offers: number
  /** How many of them replaced an offer that existed. */
  readonly replaced: number
  /** The publishers created for offers that named one that did not exist. */
  readonly publishersCreated: readonly string[]
}

/**
 * Offers restored as given (`cloudpartner import`, the sample data): status, version and changedTime
 * included, which no PUT may set. Administration only: no caller's grant is checked.
 */
export interface OfferImportService {
  /**
   * Creates or replaces the offers, and creates the publishers they name that do not exist, all in
   * one transaction: everything or nothing. A new publisher gets a new namespace's defaults, or the
   * details given for it in `publishers`. `dryRun` says what would happen and writes nothing.
   */
  importOffers(
    offers: readonly Offer[],
    options?: { readonly dryRun?: boolean; readonly publishers?: readonly NewPublisher[] },
  ): Promise<ImportOutcome>
}

export function createOfferImportService(deps: {
  stores: Stores
  clock: Clock
  audit: AuditRecorder
}): OfferImportService {
  return {
    async importOffers(offers, options = {}) {
      const details = new Map((options.publishers ?? []).map((publisher) => [publisher.id, publisher]))
      // Checked before anything is read: a bad publisher in `publishers` is the caller's mistake.
      const named = new Set([...details.keys(), ...offers.map((offer) => offer.publisherId)])
      const candidates = [...named].map((id) => newPublisher(details.get(id) ?? { id }))
      const plan = async (set: StoreSet) => {
        const missing: Publisher[] = []
        for (const publisher of candidates) {
          if (!(await set.publishers.findPublisher(publisher.id))) missing.push(publisher)
        }
        let replaced = 0
        for (const offer of offers) if (await set.offers.findOffer(offer.publisherId, offer.id)) replaced += 1
        return { missing, replaced }
      }
      const outcome = ({ missing, replaced }: { missing: Publisher[]; replaced: number }): ImportOutcome => ({
        offers: offers.length,
        replaced,
        publishersCreated: missing.map((publisher) => publisher.id),
      })
      if (options.dryRun) return outcome(await plan(deps.stores))
      return deps.stores.transaction(async (set) => {
        const planned = await plan(set)
        await set.offers.importOffers(offers, formatTimestamp(deps.clock.now()), planned.missing)
        await recordImport(set, deps.audit, offers, planned.missing)
        return outcome(planned)
      })
    },
  }
}

/**
 * The import's records, in its transaction: one per publisher it created, one per offer it wrote
 * (with the status, version and ETag it restored; an import replaces whatever was there).
 */
export async function recordImport(
  set: StoreSet,
  audit: AuditRecorder,
  offers: readonly Offer[],
  publishersCreated: readonly Publisher[],
): Promise<void> {
  for (const publisher of publishersCreated) {
    await audit.record(set.audit, {
      action: 'publisher.create',
      publisherId: publisher.id,
      outcome: 'created',
      details: { displayText: publisher.displayText },
    })
  }
  for (const offer of offers) {
    await audit.record(set.audit, {
      action: 'offer.import',
      publisherId: offer.publisherId,
      offerId: offer.id,
      outcome: 'imported',
      details: { status: offer.status, version: offer.version, etagAfter: formatEtag(offer.changedTime) },
    })
  }
}
