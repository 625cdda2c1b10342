import type { Operation, OperationMessage, OperationStep } from '../../operations/operation.ts'
import { progressPercentage } from '../../operations/operation-timing.ts'
import { type PipelineStep, pipelineOf, pipelineStep } from '../../operations/pipelines.ts'
import { type Html, html } from '../html.ts'
import { timeOf } from '../time.ts'
import { stepBadge } from './status-badges.ts'

/**
 * An operation's steps in order, as the real portal showed them: name, status, progress, times and
 * messages. Without an operation (an offer never published) the offer type's pipeline is shown,
 * every step not started, so that a person sees what publishing will do. `signOff` is what the
 * publisher sign-off step holds: the Go live button, where the real portal had it.
 */
export function timeline(options: {
  readonly operation: Operation | undefined
  readonly offerTypeId: string
  readonly now: Date
  readonly signOff?: Html
}): Html {
  const { operation, offerTypeId, now } = options
  const steps: readonly OperationStep[] =
    operation?.steps ??
    pipelineOf(offerTypeId).steps.map((step) => ({ id: step.id, status: 'notStarted', messages: [] }))
  const label = operation
    ? `Steps of ${operation.kind === 'goLive' ? 'going live with' : 'publishing'} version ${operation.offerVersion}`
    : 'Steps a publish will take'
  return html`<ol class="timeline" aria-label="${label}">${steps.map((step) => {
    const definition = pipelineStep(offerTypeId, step.id)
    return stepItem(step, definition, now, definition?.phase === 'signoff' ? options.signOff : undefined)
  })}</ol>`
}

function stepItem(
  step: OperationStep,
  definition: PipelineStep | undefined,
  now: Date,
  signOff: Html | undefined,
): Html {
  const name = definition?.stepName ?? step.id
  return html`<li class="step step-${step.status}" data-step="${step.id}">
  <div class="step-head"><h3>${name}</h3> ${stepBadge(step.status)}</div>
  ${definition && html`<p class="muted">${definition.description}${definition.estimatedTimeFrame && ` Usually ${definition.estimatedTimeFrame}.`}</p>`}
  ${progress(step, now)}
  ${times(step)}
  ${step.messages.length > 0 && messages(step.messages)}
  ${signOff}
</li>`
}

function progress(step: OperationStep, now: Date): Html | false {
  if (step.status !== 'inProgress' && step.status !== 'complete') return false
  if (step.status === 'inProgress' && step.dueTime === undefined) {
    return html`<p class="muted">Runs until an administrator completes it (the manual profile).</p>`
  }
  const percent = progressPercentage(step, now)
  return html`<p class="progress"><progress max="100" value="${percent}" aria-label="Progress">${percent}%</progress> <span>${percent}%</span></p>`
}

function times(step: OperationStep): Html | false {
  if (step.startedTime === undefined) return false
  return html`<p class="times">Started ${timeOf(step.startedTime)}${
    step.finishedTime !== undefined
      ? html` · finished ${timeOf(step.finishedTime)}`
      : step.dueTime !== undefined && html` · due ${timeOf(step.dueTime)}`
  }</p>`
}

/** Messages as text: `messageHtml` is the API's field name, but it may hold what a tester typed. */
export function messages(list: readonly OperationMessage[]): Html {
  return html`<ul class="messages">${list.map(
    (message) =>
      html`<li class="message-${message.level}"><span class="visually-hidden">${message.level}: </span>${timeOf(message.timestamp)} ${message.messageHtml}</li>`,
  )}</ul>`
}
