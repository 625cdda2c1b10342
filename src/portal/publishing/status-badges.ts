import type { OperationState, StepStatus } from '../../operations/operation.ts'
import { type Html, html } from '../html.ts'

/** How a status reads: words for a person, and the badge's colour (portal.css `.badge.*`). */
interface Badge {
  readonly words: string
  readonly tone: 'ok' | 'warn' | 'error' | 'info' | 'plain'
}

const STEP_BADGES: Readonly<Record<StepStatus, Badge>> = {
  notStarted: { words: 'Not started', tone: 'plain' },
  inProgress: { words: 'In progress', tone: 'info' },
  waitingForPublisherReview: { words: 'Waiting for your sign-off', tone: 'warn' },
  waitingForApproval: { words: 'Waiting for approval', tone: 'warn' },
  blocked: { words: 'Blocked', tone: 'error' },
  rejected: { words: 'Rejected', tone: 'error' },
  complete: { words: 'Complete', tone: 'ok' },
  canceled: { words: 'Canceled', tone: 'plain' },
  failed: { words: 'Failed', tone: 'error' },
}

const OPERATION_BADGES: Readonly<Record<OperationState, Badge>> = {
  running: { words: 'Running', tone: 'info' },
  waitingForPublisherReview: { words: 'Waiting for sign-off', tone: 'warn' },
  succeeded: { words: 'Succeeded', tone: 'ok' },
  failed: { words: 'Failed', tone: 'error' },
  canceled: { words: 'Canceled', tone: 'plain' },
}

function badge({ words, tone }: Badge): Html {
  return html`<span class="badge${tone === 'plain' ? '' : ` ${tone}`}">${words}</span>`
}

export function stepBadge(status: StepStatus): Html {
  return badge(STEP_BADGES[status])
}

export function stepWords(status: StepStatus): string {
  return STEP_BADGES[status].words
}

export function operationBadge(state: OperationState): Html {
  return badge(OPERATION_BADGES[state])
}

export function operationWords(state: OperationState): string {
  return OPERATION_BADGES[state].words
}
