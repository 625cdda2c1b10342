import type { Operation } from '../../operations/operation.ts'
import { pipelineStep } from '../../operations/pipelines.ts'
import { type Html, html } from '../html.ts'
import { statusBadge } from '../offer-labels.ts'
import { timeOf } from '../time.ts'
import { actionButton } from './action-button.ts'
import { auditSection } from './audit-section.ts'
import { outboxSection } from './outbox-section.ts'
import type { PublishingPanelData } from './publishing-panel-data.ts'
import { type OfferRef, publishingPath } from './publishing-paths.ts'
import { operationBadge, operationWords, stepWords } from './status-badges.ts'
import { submissionsSection } from './submissions-section.ts'
import { testControls } from './test-controls.ts'
import { timeline } from './timeline.ts'

export interface PanelContext {
  readonly prefix: string
  readonly offer: OfferRef
  /** The hidden CSRF field of the viewer's forms (layout.csrfField). */
  readonly csrf: Html
}

/**
 * Everything on the publishing page that changes as the offer's publishing does: what the page
 * renders at first, what the live stream sends again after each change, and what polling fetches
 * where there is no stream. One function, so the three can never differ.
 */
export function publishingPanel(data: PublishingPanelData, context: PanelContext): Html {
  const { state } = data
  const { offer, actions, now } = state
  const [latest] = state.operations
  const base = publishingPath(context.prefix, context.offer)
  const confirm = (action: string) => `${base}/confirm/${action}`
  const goLive = html`<div class="sign-off">${actionButton({
    id: 'go-live',
    label: 'Go live',
    confirmUrl: confirm('go-live'),
    availability: actions.goLive,
  })}</div>`
  return html`<section aria-labelledby="actions-heading">
  <h2 id="actions-heading">Publishing</h2>
  <p>Offer status ${statusBadge(offer.status)} · draft version ${offer.version}</p>
  <div class="actions">
    ${actionButton({ id: 'publish', label: 'Publish', confirmUrl: confirm('publish'), availability: actions.publish })}
    ${actionButton({ id: 'cancel', label: 'Cancel publishing', confirmUrl: confirm('cancel'), availability: actions.cancel, tone: 'danger' })}
  </div>
</section>
<section aria-labelledby="timeline-heading">
  <h2 id="timeline-heading">${latest ? operationTitle(latest) : 'Not published yet'}</h2>
  ${latest && html`<p>${operationBadge(latest.state)} Started ${timeOf(latest.createdTime)} · changed ${timeOf(latest.changedTime)}</p>`}
  ${timeline({ operation: latest, offerTypeId: offer.offerTypeId, now, signOff: goLive })}
</section>
${outboxSection(data.outbox, latest)}
${testControls(data.controls, { latest, offerTypeId: offer.offerTypeId, base, csrf: context.csrf })}
${submissionsSection(state.operations, base)}
${auditSection(data.audit)}`
}

/**
 * Whether the panel changes with time alone: a step of the quick or realistic profile shows its
 * progress towards its due time, which no write to the store marks. The live stream sends the panel
 * again every few seconds while it does, and a poll answers it however old its stamp.
 */
export function progressMovesWithTime(data: PublishingPanelData): boolean {
  const [latest] = data.state.operations
  return latest?.steps.some((step) => step.status === 'inProgress' && step.dueTime !== undefined) ?? false
}

/** One sentence for screen readers when the panel changes (the page's role="status" line). */
export function panelSummary(data: PublishingPanelData): string {
  const [latest] = data.state.operations
  if (!latest) return 'Not published yet.'
  const current = latest.steps.find((step) =>
    ['inProgress', 'waitingForPublisherReview', 'failed', 'blocked'].includes(step.status),
  )
  const name = current && (pipelineStep(latest.offerTypeId, current.id)?.stepName ?? current.id)
  return `${operationTitle(latest)}: ${operationWords(latest.state).toLowerCase()}${
    current ? `; step ${name} ${stepWords(current.status).toLowerCase()}` : ''
  }.`
}

export function operationTitle(operation: Operation): string {
  return operation.kind === 'goLive'
    ? `Going live with version ${operation.offerVersion}`
    : `Publishing version ${operation.offerVersion}`
}
