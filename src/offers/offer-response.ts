import { formatEtag } from './etag.ts'
import type { OfferDefinition, OfferStatus } from './offer.ts'
import { withoutSecrets } from './offer-secrets.ts'

/** An offer as answered: the exact bytes of the JSON body, and the draft's ETag. */
export interface OfferView {
  readonly body: Buffer
  readonly etag: string
}

/** What GET and PUT answer about one version of an offer (reference E4, E6). */
export interface OfferSnapshot {
  readonly offerTypeId: string
  readonly publisherId: string
  readonly status: OfferStatus
  readonly id: string
  readonly version: number
  readonly extras: Readonly<Record<string, unknown>>
  readonly definition: OfferDefinition
  readonly changedTime: string
}

const ENVELOPE = new Set([
  'offerTypeId',
  'publisherId',
  'status',
  'id',
  'version',
  'definition',
  'changedTime',
])

/**
 * The offer in the service's field order: the envelope, the extras the service keeps verbatim where
 * it puts them (after `version`, as devigned/pub's captured answers have pcMigrationStatus), then the
 * definition, whose unknown keys come back as they were written, and never a secret.
 */
export function toOfferResponse(snapshot: OfferSnapshot): Record<string, unknown> {
  const { displayText, offer, plans, ...rest } = withoutSecrets(snapshot.definition)
  const extras = Object.entries(snapshot.extras).filter(([key]) => !ENVELOPE.has(key))
  return {
    offerTypeId: snapshot.offerTypeId,
    publisherId: snapshot.publisherId,
    status: snapshot.status,
    id: snapshot.id,
    version: snapshot.version,
    ...Object.fromEntries(extras),
    definition: { displayText, offer: offer ?? {}, plans: plans ?? [], ...rest },
    changedTime: snapshot.changedTime,
  }
}

/** The answer about a snapshot; every answer carries the draft's ETag, whichever version it shows. */
export function renderOffer(snapshot: OfferSnapshot, draftChangedTime: string): OfferView {
  return { body: jsonBody(toOfferResponse(snapshot)), etag: formatEtag(draftChangedTime) }
}

/**
 * The body as the routes used to send it (JSON.stringify of the response object), in a buffer of
 * its own: a small Buffer.from would share, and keep alive, an 8 KB pool slab per cached answer.
 */
function jsonBody(value: unknown): Buffer {
  const json = JSON.stringify(value)
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(json))
  body.write(json)
  return body
}
