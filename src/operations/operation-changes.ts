import type { NotificationEvent, Operation, OperationState, StepStatus } from './operation.ts'

/**
 * What one stored write changed in an operation, as the logs and the metrics tell it: the
 * operation's state and each step whose status moved. Pure: computed from the operation as read
 * and as stored.
 */
export interface OperationChange {
  /** Undefined for a new operation. */
  readonly from?: OperationState
  readonly to: OperationState
  readonly steps: readonly StepChange[]
}

export interface StepChange {
  readonly stepId: string
  readonly from?: StepStatus
  readonly to: StepStatus
  /** From start to finish, for a step that finished in this change (on the operation's clock). */
  readonly durationMs?: number
}

export function changeOf(before: Operation | undefined, after: Operation): OperationChange {
  const steps: StepChange[] = []
  for (const [position, step] of after.steps.entries()) {
    const previous = before?.steps[position]
    if (previous?.status === step.status) continue
    const durationMs =
      step.startedTime !== undefined &&
      step.finishedTime !== undefined &&
      previous?.finishedTime === undefined
        ? Date.parse(step.finishedTime) - Date.parse(step.startedTime)
        : undefined
    steps.push({
      stepId: step.id,
      ...(previous ? { from: previous.status } : {}),
      to: step.status,
      ...(durationMs === undefined || Number.isNaN(durationMs) ? {} : { durationMs }),
    })
  }
  return { ...(before ? { from: before.state } : {}), to: after.state, steps }
}

/**
 * Told of every operation write once it has committed (src/stores.ts): a new operation, a stored
 * transition, an outbox message. The metrics implement it; a write that rolls back is never told.
 */
export interface OperationObserver {
  stored(before: Operation | undefined, after: Operation): void
  outboxMessage(event: NotificationEvent): void
}
