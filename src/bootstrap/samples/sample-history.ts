import type { AuditRecorder } from '../../audit/record-change.ts'
import type { Caller } from '../../auth/caller.ts'
import type { Clock } from '../../clock.ts'
import { recordImport } from '../../offers/offer-import.service.ts'
import { createOperationService } from '../../operations/operations.service.ts'
import { createPublisherAccess } from '../../principals/publisher-access.ts'
import { type NewPublisher, newPublisher } from '../../publishers/publisher.ts'
import type { StoreSet, Stores } from '../../stores.ts'
import { formatTimestamp } from '../../timestamps.ts'
import { SAMPLE_PUBLICATIONS, sampleOffers } from './sample-data.ts'
import { SAMPLE_PUBLISHER_ID } from './sample-publisher.ts'

/** Recorded with the sample offers, in their transaction: a store gets them once. */
export const SAMPLE_OFFERS_SETTING = 'sample-offers'

/**
 * Imports the sample offers of `contoso` as drafts and publishes them through the publishing engine,
 * publish then go-live, as often as SAMPLE_PUBLICATIONS says: every version, slot, submission and
 * status they show is one the engine reached, as for an offer of the publisher's own (never a
 * `succeeded` offer without a Production slot). The caller needs a grant on `contoso`.
 *
 * All of it is one transaction, guarded by a setting written in it: a process that crashes half-way
 * leaves nothing, and of two processes seeding one store at once, the second finds the setting and
 * does nothing. Steps take no time here (the instant profile) whatever the server's settings.
 * Answers how many offers it imported (0 when the store had them already).
 */
export async function seedSampleOffers(deps: {
  readonly stores: Stores
  readonly clock: Clock
  readonly caller: Caller
  /** Records the import and each publish and go-live, in the seeding's transaction. */
  readonly audit: AuditRecorder
  /** Created in the same transaction when given (the bootstrap); otherwise it must exist. */
  readonly publisher?: NewPublisher
}): Promise<number> {
  const now = deps.clock.now()
  // The published samples' history happened just before now: written a second ago, then published,
  // a millisecond per step, so that it is older than anything a client does next.
  const historyStart = new Date(now.getTime() - HISTORY_MS)
  return deps.stores.transaction(async (set) => {
    const recorded = JSON.stringify({ time: formatTimestamp(now) })
    if (!(await set.settings.initSetting(SAMPLE_OFFERS_SETTING, recorded))) return 0
    const offers = sampleOffers(formatTimestamp(now))
    const [published, drafts] = partition(offers, (offer) => offer.id in SAMPLE_PUBLICATIONS)
    const publishers = deps.publisher ? [newPublisher(deps.publisher)] : []
    await set.offers.importOffers(drafts, formatTimestamp(now), publishers)
    const publishedDrafts = published.map((offer) => ({
      ...offer,
      changedTime: formatTimestamp(historyStart),
    }))
    await set.offers.importOffers(publishedDrafts, formatTimestamp(historyStart))
    await recordImport(set, deps.audit, [...drafts, ...publishedDrafts], publishers)
    // The one operation service built outside createServices, on purpose: this one works inside the
    // seeding's transaction, with a clock and a profile of its own; its rules are the same code.
    const operations = createOperationService({
      stores: withinTransaction(set),
      access: createPublisherAccess({ publishers: set.publishers }),
      clock: steppingClock(new Date(historyStart.getTime() + 1)),
      audit: deps.audit,
      config: {
        publishProfile: 'instant',
        publishTimeScale: 1,
        operationSuccessStatus: 'succeeded',
        submissionSuccessState: 'succeeded',
        stepNameAsId: false,
        strictCancel: true,
      },
    })
    for (const [offerId, times] of Object.entries(SAMPLE_PUBLICATIONS)) {
      for (let round = 0; round < times; round += 1) {
        await operations.publish(deps.caller, SAMPLE_PUBLISHER_ID, offerId, {})
        await operations.goLive(deps.caller, SAMPLE_PUBLISHER_ID, offerId, {})
      }
    }
    return offers.length
  })
}

/** Longer than the history takes at a millisecond per reading of the clock. */
const HISTORY_MS = 1000

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))]
}

/** A millisecond later at every reading: each operation of the history has a time of its own, in order. */
function steppingClock(start: Date): Clock {
  let readings = 0
  return { now: () => new Date(start.getTime() + readings++) }
}

/** The stores of an open transaction, whose units of work join it (as nested SQL transactions do). */
function withinTransaction(set: StoreSet): StoreSet & Pick<Stores, 'transaction'> {
  return { ...set, transaction: (work) => work(set) }
}
