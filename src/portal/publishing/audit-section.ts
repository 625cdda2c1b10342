import type { AuditEvent } from '../../audit/audit-event.ts'
import { type Html, html } from '../html.ts'
import { timeOf } from '../time.ts'
import { AUDIT_SHOWN, type OwnerOnly } from './publishing-panel-data.ts'

/**
 * The offer's latest audit records (src/audit): who changed what, through which door, with what
 * outcome. Owners only, as GET /admin/audit; the whole trail is there and in `cloudpartner audit`.
 */
export function auditSection(audit: OwnerOnly<readonly AuditEvent[]>): Html {
  return html`<section aria-labelledby="audit-heading">
  <h2 id="audit-heading">Audit trail</h2>
  ${'refused' in audit ? html`<p class="muted">${audit.refused}</p>` : auditTable(audit.shown)}
</section>`
}

export function auditTable(events: readonly AuditEvent[]): Html {
  if (events.length === 0) return html`<p class="muted">No record yet.</p>`
  return html`<div class="table-scroll" role="region" aria-label="Audit records, newest first" tabindex="0"><table>
  <caption>The latest ${Math.min(events.length, AUDIT_SHOWN)} records, newest first</caption>
  <thead><tr><th scope="col">Time</th><th scope="col">Action</th><th scope="col">By</th><th scope="col">Through</th><th scope="col">Outcome</th></tr></thead>
  <tbody>${events.map(
    (event) => html`<tr>
    <td>${timeOf(event.time)}</td>
    <td><code>${event.action}</code></td>
    <td>${actorOf(event)}</td>
    <td>${event.door}</td>
    <td>${event.outcome}</td>
  </tr>`,
  )}</tbody>
</table></div>`
}

function actorOf(event: AuditEvent): Html {
  const { actor } = event
  if (actor.clientId !== undefined) return html`<code>${actor.clientId}</code>`
  if (actor.osUser !== undefined) return html`${actor.osUser} <span class="muted">(operator)</span>`
  return html`<span class="muted">—</span>`
}
