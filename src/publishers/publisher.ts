import { errors } from '../errors/errors.ts'
import { OFFER_TYPES } from '../offer-types/offer-types.ts'

/** A publisher namespace, as the domain sees it. */
export interface Publisher {
  readonly id: string
  readonly displayText: string
  readonly sellerId?: number
  readonly offerTypeCategories: readonly string[]
  readonly version: number
}

/** Publisher ids follow the portal's rule for identifiers: lowercase letters, digits, `-` and `_`. */
export const PUBLISHER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,49}$/

/**
 * What a new publisher may publish when nothing else is said: every offer type this server knows.
 * CPP never documented the values of `offerTypeCategories` (observed only as a placeholder).
 */
export const DEFAULT_OFFER_TYPE_CATEGORIES: readonly string[] = OFFER_TYPES.map((type) => type.id)

/** A namespace to create: `publishers create`, an import naming a new publisher, the sample data. */
export interface NewPublisher {
  readonly id: string
  /** Default: the id. */
  readonly displayText?: string
  readonly sellerId?: number
}

/** The one place a publisher is born: its id checked, the defaults of a new namespace applied. */
export function newPublisher(request: NewPublisher): Publisher {
  checkPublisherId(request.id)
  const { sellerId } = request
  if (sellerId !== undefined && !(Number.isSafeInteger(sellerId) && sellerId >= 1)) {
    throw errors.badRequest(`The seller id must be a positive integer, not ${sellerId}.`)
  }
  return {
    id: request.id,
    displayText: request.displayText ?? request.id,
    ...(sellerId === undefined ? {} : { sellerId }),
    offerTypeCategories: DEFAULT_OFFER_TYPE_CATEGORIES,
    version: 1,
  }
}

export function checkPublisherId(publisherId: string): void {
  if (!PUBLISHER_ID_PATTERN.test(publisherId)) throw errors.invalidPublisherId(publisherId)
}
