import type { Caller } from '../auth/caller.ts'
import { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import type { OfferStatus, PublishedSlot } from '../offers/offer.ts'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { OfferView } from '../offers/offer-response.ts'

/**
 * An offer as the API answers it (the same read model, the same bytes, never a secret), parsed
 * for a page: what the portal shows is exactly what a client of the API would get.
 */
export interface OfferDocument {
  readonly body: Record<string, unknown> & {
    readonly offerTypeId: string
    readonly status: OfferStatus
    readonly version: number
    readonly changedTime: string
    readonly definition: { readonly displayText: string } & Record<string, unknown>
  }
  /** The draft's ETag, whichever version the document is. */
  readonly etag: string
}

export function documentOf(view: OfferView): OfferDocument {
  return { body: JSON.parse(view.body.toString('utf8')), etag: view.etag }
}

export interface OfferSlots {
  readonly draft: OfferDocument
  readonly preview?: OfferDocument
  readonly production?: OfferDocument
}

/** Draft, Preview and Production; a slot the offer never reached is absent (the API's 404). */
export async function readSlots(
  reads: OfferReadModel,
  caller: Caller,
  publisherId: string,
  offerId: string,
): Promise<OfferSlots> {
  const draft = documentOf(await reads.getOffer(caller, publisherId, offerId))
  const published = async (slot: PublishedSlot) => {
    try {
      return documentOf(await reads.getSlot(caller, publisherId, offerId, slot))
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 404) return undefined
      throw error
    }
  }
  const [preview, production] = await Promise.all([published('preview'), published('production')])
  return { draft, ...(preview ? { preview } : {}), ...(production ? { production } : {}) }
}

/** What a diff compares: a slot by name, or a version by number. */
export type OfferReference = 'draft' | PublishedSlot | number

export function parseReference(value: unknown): OfferReference | undefined {
  if (value === 'draft' || value === 'preview' || value === 'production') return value
  if (typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value)) return Number(value)
  return undefined
}

export function referenceLabel(reference: OfferReference): string {
  return typeof reference === 'number'
    ? `version ${reference}`
    : reference[0]?.toUpperCase() + reference.slice(1)
}

export async function readReference(
  reads: OfferReadModel,
  caller: Caller,
  publisherId: string,
  offerId: string,
  reference: OfferReference | undefined,
): Promise<OfferDocument> {
  if (reference === undefined)
    throw errors.badRequest('Choose what to compare: Draft, Preview, Production or a version.')
  const view =
    typeof reference === 'number'
      ? await reads.getVersion(caller, publisherId, offerId, reference)
      : await reads.getSlot(caller, publisherId, offerId, reference)
  return documentOf(view)
}
