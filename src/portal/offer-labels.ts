import { OFFER_TYPES } from '../offer-types/offer-types.ts'
import type { OfferStatus } from '../offers/offer.ts'
import { type Html, html } from './html.ts'

/** How a person reads an offer's status, and the colour of its badge. */
const STATUS_LABELS: Readonly<Record<OfferStatus, { label: string; tone: string }>> = {
  neverPublished: { label: 'Never published', tone: '' },
  notStarted: { label: 'Not started', tone: 'info' },
  waitingForPublisherReview: { label: 'Waiting for review', tone: 'warn' },
  running: { label: 'Publishing', tone: 'info' },
  succeeded: { label: 'Published', tone: 'ok' },
  canceled: { label: 'Canceled', tone: 'warn' },
  failed: { label: 'Failed', tone: 'error' },
}

export function statusLabel(status: OfferStatus): string {
  return STATUS_LABELS[status]?.label ?? status
}

/** The status as a badge; the API's own word stays in the title for those who script against it. */
export function statusBadge(status: OfferStatus): Html {
  const { label, tone } = STATUS_LABELS[status] ?? { label: status, tone: '' }
  return html`<span class="badge ${tone}" title="${status}">${label}</span>`
}

export function offerTypeLabel(offerTypeId: string): string {
  return OFFER_TYPES.find((type) => type.id === offerTypeId)?.displayText ?? offerTypeId
}
