import type { Publisher } from '../publishers/publisher.ts'
import type { Offer, OfferFilter, OfferStatus, OfferSummary, OfferVersion, PublishedSlot } from './offer.ts'

/** Storage of offers. `find*` answers undefined when there is no such offer. */
export interface OfferStore {
  /**
   * The summaries of a publisher's offers, ordered by id, one at a time: a namespace of any size is
   * answered without holding its full definitions in memory.
   */
  listOfferSummaries(publisherId: string, filter: OfferFilter): AsyncIterable<OfferSummary>
  findOffer(publisherId: string, offerId: string): Promise<Offer | undefined>
  /**
   * Creates or replaces offers as given, all in one transaction (import, bootstrap). `publishers` are
   * created first, in the same transaction, unless their id is taken (existing ones are left as they are).
   */
  importOffers(
    offers: readonly Offer[],
    createdTime: string,
    publishers?: readonly Publisher[],
  ): Promise<void>
  findVersion(publisherId: string, offerId: string, version: number): Promise<OfferVersion | undefined>
  /** The version a slot holds; undefined when the offer never reached that slot. */
  findSlot(publisherId: string, offerId: string, slot: PublishedSlot): Promise<OfferVersion | undefined>
  /**
   * Copies the draft into an immutable version numbered with the offer's current version, then
   * increments the offer's version (the draft becomes the next version). Answers the snapshot's
   * version. Throws when there is no such offer.
   */
  snapshotDraft(publisherId: string, offerId: string, createdTime: string): Promise<number>
  /** Points a slot at a published version, or empties it (undefined). */
  setSlot(
    publisherId: string,
    offerId: string,
    slot: PublishedSlot,
    version: number | undefined,
    changedTime: string,
  ): Promise<void>
  /** Sets the offer's status; the draft and its ETag are untouched. */
  setStatus(publisherId: string, offerId: string, status: OfferStatus): Promise<void>
}
