import { SUCCESS_WORDS } from '../config.schema.ts'
import type { OperationDetail, OperationStatus, OperationStep } from './types.ts'

/**
 * How an operation stands, in one word. The success word is configurable on the server
 * (`complete`, `completed` or `succeeded`, reference Appendix A conflict 1): all three are success.
 */
export type OperationOutcome = 'running' | 'succeeded' | 'failed' | 'canceled'

const SUCCESS: ReadonlySet<string> = new Set(SUCCESS_WORDS)

export function outcomeOf(status: OperationStatus | string): OperationOutcome {
  if (SUCCESS.has(status)) return 'succeeded'
  if (status === 'failed' || status === 'canceled') return status
  return 'running'
}

export function isTerminal(status: OperationStatus | string): boolean {
  return outcomeOf(status) !== 'running'
}

/** The step an operation is at, with its place in the pipeline. */
export interface CurrentStep {
  /** From 0. */
  readonly index: number
  readonly count: number
  readonly id: string
  readonly name: string
  readonly status: OperationStep['status']
  readonly progressPercentage: number
  readonly estimatedTimeFrame: string | undefined
}

/** What `Operation.wait` reports after each poll. */
export interface OperationProgress {
  readonly detail: OperationDetail
  readonly outcome: OperationOutcome
  /** The step in progress (or waiting, or where it stopped); undefined for an operation without steps. */
  readonly step: CurrentStep | undefined
  /** Since `wait()` was called. */
  readonly elapsedMs: number
}

/** Steps that hold an operation where it is: running, waiting for someone, or stopped by a problem. */
const ACTIVE = new Set<string>([
  'inProgress',
  'waitingForPublisherReview',
  'waitingForApproval',
  'blocked',
  'rejected',
  'failed',
])

/**
 * The step to show: the first active one; else the first canceled (where a cancel stopped it);
 * else the first not started (between two steps); else the last (a finished operation).
 */
export function currentStep(detail: Pick<OperationDetail, 'steps'>): CurrentStep | undefined {
  const { steps } = detail
  let index = steps.findIndex((step) => ACTIVE.has(step.status))
  if (index === -1) index = steps.findIndex((step) => step.status === 'canceled')
  if (index === -1) index = steps.findIndex((step) => step.status === 'notStarted')
  if (index === -1) index = steps.length - 1
  const step = steps[index]
  if (step === undefined) return undefined
  return {
    index,
    count: steps.length,
    id: step.id,
    name: step.stepName,
    status: step.status,
    progressPercentage: step.progressPercentage,
    estimatedTimeFrame: step.estimatedTimeFrame,
  }
}
