import type { OperationStore } from './operations.store.ts'

/**
 * How a live page learns that an offer's publishing changed (a step advanced, a message, the
 * outbox, a new operation, the offer's status), whoever changed it: this process's API or worker,
 * the CLI on the same SQLite file, or another replica on PostgreSQL. It polls the offer's publishing
 * stamp (OperationStore.findPublishingStamp: one indexed read) for the offers being watched, one read
 * per offer per poll however many pages watch it, and tells each watcher whose stamp is out of date.
 *
 * Polling rather than PostgreSQL's LISTEN/NOTIFY (docs/adr/0009): one SQL text on both databases,
 * no connection held per process for listening, nothing to miss when that connection drops; a
 * change made in this process is seen at once anyway (`nudge`), others within one poll interval.
 */
export interface PublishingFeed {
  /**
   * Calls `changed` with the new stamp each time the offer's publishing stamp differs from the last
   * one this watcher was told, starting from `since` (the stamp the watcher's page was rendered at,
   * so that a change in between is not lost). Answers how to stop watching.
   */
  watch(
    offer: { readonly publisherId: string; readonly offerId: string },
    since: string | undefined,
    changed: (stamp: string) => void,
  ): () => void
  /** Something changed in this process: look now instead of at the next poll. */
  nudge(): void
  /** Stops polling; watchers are told nothing more. */
  close(): void
  /** How many offers are watched now (a stream that ended must not leave its watch behind). */
  readonly watchedOffers: number
}

export interface PublishingFeedOptions {
  readonly operations: Pick<OperationStore, 'findPublishingStamp'>
  readonly pollIntervalMs: number
  readonly log: { warn(object: unknown, message: string): void }
}

interface Watcher {
  seen: string | undefined
  readonly changed: (stamp: string) => void
}

interface WatchedOffer {
  readonly publisherId: string
  readonly offerId: string
  readonly watchers: Set<Watcher>
}

export function createPublishingFeed(options: PublishingFeedOptions): PublishingFeed {
  const offers = new Map<string, WatchedOffer>()
  let timer: NodeJS.Timeout | undefined
  let polling = false
  let again = false
  let closed = false

  function schedule(delayMs: number): void {
    clearTimeout(timer)
    timer = undefined
    if (closed || offers.size === 0) return
    timer = setTimeout(poll, delayMs)
    // The streams keep the process alive while they are open; the timer alone must not.
    timer.unref()
  }

  function poll(): void {
    if (polling) {
      again = true
      return
    }
    polling = true
    again = false
    lookAll().finally(() => {
      polling = false
      schedule(again ? 0 : options.pollIntervalMs)
    })
  }

  async function lookAll(): Promise<void> {
    // Side by side: on PostgreSQL they share the pool; the number of offers watched is bounded
    // by the number of open streams (portal/publishing/stream-limits.ts).
    await Promise.all([...offers.values()].map(look))
  }

  async function look(offer: WatchedOffer): Promise<void> {
    let stamp: string | undefined
    try {
      stamp = await options.operations.findPublishingStamp(offer.publisherId, offer.offerId)
    } catch (error) {
      // The database is away for a moment: the pages keep what they show, and the next poll looks again.
      options.log.warn({ err: error, offerId: offer.offerId }, 'live publishing feed could not read a stamp')
      return
    }
    if (stamp === undefined || closed) return
    for (const watcher of offer.watchers) {
      if (watcher.seen === stamp) continue
      watcher.seen = stamp
      try {
        watcher.changed(stamp)
      } catch (error) {
        // One page's failure is its own: the others are still told.
        options.log.warn({ err: error, offerId: offer.offerId }, 'a live publishing watcher failed')
      }
    }
  }

  return {
    watch({ publisherId, offerId }, since, changed) {
      const key = `${publisherId}/${offerId}`
      let offer = offers.get(key)
      if (!offer) {
        offer = { publisherId, offerId, watchers: new Set() }
        offers.set(key, offer)
      }
      const watcher: Watcher = { seen: since, changed }
      offer.watchers.add(watcher)
      // A new watcher is brought up to date at once: its page may be older than the stamp, and
      // without `since` it is told the current one.
      void look(offer)
      if (timer === undefined && !polling) schedule(options.pollIntervalMs)
      const watched = offer
      return () => {
        watched.watchers.delete(watcher)
        if (watched.watchers.size === 0 && offers.get(key) === watched) offers.delete(key)
        if (offers.size === 0) schedule(0)
      }
    },
    nudge() {
      if (offers.size > 0 && !closed) poll()
    },
    close() {
      closed = true
      offers.clear()
      schedule(0)
    },
    get watchedOffers() {
      return offers.size
    },
  }
}
