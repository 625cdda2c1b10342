import type { Operation } from '../../operations/operation.ts'
import { type Html, html } from '../html.ts'
import { timeOf } from '../time.ts'
import { operationBadge } from './status-badges.ts'

/** Every operation of the offer, newest first, each linking to its steps and notifications. */
export function submissionsSection(operations: readonly Operation[], base: string): Html {
  return html`<section aria-labelledby="submissions-heading">
  <h2 id="submissions-heading">Submissions</h2>
  ${
    operations.length === 0
      ? html`<p class="muted">The offer has not been submitted yet.</p>`
      : html`<div class="table-scroll" role="region" aria-label="Submissions, newest first" tabindex="0"><table>
  <caption class="visually-hidden">Submissions of this offer, newest first</caption>
  <thead><tr><th scope="col">Submission</th><th scope="col">Kind</th><th scope="col">Slot</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Changed</th></tr></thead>
  <tbody>${operations.map(
    (operation) => html`<tr>
    <td><a href="${base}/operations/${operation.id}">${operation.publishingVersion} · version ${operation.offerVersion}</a></td>
    <td>${operation.kind === 'goLive' ? 'Go live' : 'Publish'}</td>
    <td>${operation.slot === 'staging' ? 'Preview' : 'Production'}</td>
    <td>${operationBadge(operation.state)}</td>
    <td>${timeOf(operation.createdTime)}</td>
    <td>${timeOf(operation.changedTime)}</td>
  </tr>`,
  )}</tbody>
</table></div>`
  }
</section>`
}
