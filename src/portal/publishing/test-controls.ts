import type { Operation, PlannedFault } from '../../operations/operation.ts'
import { pipelineOf, pipelineStep } from '../../operations/pipelines.ts'
import { type Html, html } from '../html.ts'
import type { OwnerOnly } from './publishing-panel-data.ts'

/**
 * The emulator's controls, for test set-ups (the /admin API's, through the same service): complete,
 * fail or block the running step (the manual profile waits for this), and plan a failure for the
 * offer's next publish. With them a tester walks an offer through any path by clicking.
 */
export function testControls(
  controls: OwnerOnly<{ readonly plannedFault?: PlannedFault }>,
  options: {
    readonly latest: Operation | undefined
    readonly offerTypeId: string
    readonly base: string
    readonly csrf: Html
  },
): Html {
  return html`<section aria-labelledby="controls-heading" class="test-controls">
  <h2 id="controls-heading">Test controls</h2>
  ${'refused' in controls ? html`<p class="muted">${controls.refused}</p>` : html`${stepControl(options)}${faultControl(controls.shown.plannedFault, options)}`}
</section>`
}

function stepControl(options: {
  latest: Operation | undefined
  offerTypeId: string
  csrf: Html
  base: string
}): Html {
  const { latest } = options
  const running =
    latest?.state === 'running' ? latest.steps.find((step) => step.status === 'inProgress') : undefined
  if (!latest || !running) {
    return html`<p class="muted">No step is running, so there is none to advance, fail or block.</p>`
  }
  const name = pipelineStep(options.offerTypeId, running.id)?.stepName ?? running.id
  return html`<form class="stacked step-control" method="post" action="${options.base}/operations/${latest.id}/step">
  ${options.csrf}
  <p>Running step: <strong>${name}</strong></p>
  <div>
    <label for="step-message">Message (shown by a failed or blocked step)</label>
    <input id="step-message" name="message" type="text" maxlength="2000">
  </div>
  <div class="actions">
    <button type="submit" name="action" value="advance">Advance step</button>
    <button type="submit" name="action" value="fail" class="danger">Fail step</button>
    <button type="submit" name="action" value="block" class="danger">Block step</button>
  </div>
</form>`
}

function faultControl(
  planned: PlannedFault | undefined,
  options: { offerTypeId: string; csrf: Html; base: string },
): Html {
  const steps = pipelineOf(options.offerTypeId).steps.filter((step) => step.phase !== 'signoff')
  return html`<h3>Next publish</h3>
${
  planned
    ? html`<form method="post" action="${options.base}/next-failure/clear" class="planned-fault">
  ${options.csrf}
  <p>The next publish will be <strong>${planned.outcome}</strong> at step <strong>${pipelineStep(options.offerTypeId, planned.stepId)?.stepName ?? planned.stepId}</strong>: ${planned.messages.join(' ')}</p>
  <button type="submit" class="secondary">Forget the planned failure</button>
</form>`
    : html`<p class="muted">No failure is planned: the next publish runs its course.</p>`
}
<form class="stacked" method="post" action="${options.base}/next-failure">
  ${options.csrf}
  <div>
    <label for="fault-step">Step that fails</label>
    <select id="fault-step" name="stepId">${steps.map((step) => html`<option value="${step.id}">${step.stepName}</option>`)}</select>
  </div>
  <div>
    <label for="fault-outcome">How</label>
    <select id="fault-outcome" name="outcome">
      <option value="failed">It runs, then fails</option>
      <option value="blocked">It is blocked and cannot start</option>
    </select>
  </div>
  <div>
    <label for="fault-message">Message</label>
    <input id="fault-message" name="message" type="text" required maxlength="2000">
  </div>
  <div><button type="submit">Plan the failure</button></div>
</form>`
}
