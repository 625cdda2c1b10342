import type { Operation, OutboxMessage } from '../../operations/operation.ts'
import { type Html, html } from '../html.ts'
import { timeOf } from '../time.ts'
import type { OwnerOnly } from './publishing-panel-data.ts'

/**
 * The notification e-mails the service would have sent for an operation, in order: the emulator
 * keeps them instead of sending them. Owners only, as GET /admin/operations/{id}/outbox.
 */
export function outboxSection(
  outbox: OwnerOnly<readonly OutboxMessage[]>,
  operation: Operation | undefined,
): Html {
  return html`<section aria-labelledby="outbox-heading">
  <h2 id="outbox-heading">Notifications</h2>
  ${outboxContent(outbox, operation)}
</section>`
}

export function outboxContent(
  outbox: OwnerOnly<readonly OutboxMessage[]>,
  operation: Operation | undefined,
): Html {
  if ('refused' in outbox) return html`<p class="muted">${outbox.refused}</p>`
  if (!operation) return html`<p class="muted">No operation yet, so no notification.</p>`
  if (outbox.shown.length === 0) return html`<p class="muted">No notification for this operation yet.</p>`
  return html`<ol class="outbox" aria-label="Notifications of this operation">${outbox.shown.map(
    (message) => html`<li>
  <details>
    <summary><strong>${message.subject}</strong> <span class="muted">${message.event} · ${timeOf(message.createdTime)}</span></summary>
    <p>To: ${message.to.length === 0 ? html`<span class="muted">nobody (no notification-emails were given)</span>` : message.to.join(', ')}</p>
    <pre class="mail">${message.body}</pre>
  </details>
</li>`,
  )}</ol>`
}
