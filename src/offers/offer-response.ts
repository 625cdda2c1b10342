import type { OfferDefinition, OfferStatus } from './offer.ts'
import { withoutSecrets } from './offer-secrets.ts'

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
