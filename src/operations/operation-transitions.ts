import type { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import { formatTimestamp } from '../timestamps.ts'
import type {
  Operation,
  OperationEffect,
  OperationEvent,
  OperationMessage,
  OperationStep,
  StepStatus,
} from './operation.ts'
import { stepDurationMs } from './operation-timing.ts'
import { pipelineStep } from './pipelines.ts'

/**
 * The publishing state machine, pure: (operation, event, now) → the next operation and the effects
 * the caller applies in the same transaction (offer status, slots, notifications), or the ApiError
 * that explains why the event does not apply. No I/O, no clock: the same inputs give the same answer,
 * so the worker, the API, the admin endpoints and the CLI all move operations the same way.
 */
export interface Transition {
  readonly operation: Operation
  readonly effects: readonly OperationEffect[]
}

export function transition(operation: Operation, event: OperationEvent, now: Date): Transition | ApiError {
  switch (event.type) {
    case 'tick':
      return tick(operation, now)
    case 'advance':
      return advance(operation, now)
    case 'fail':
      return failCurrent(operation, event.outcome, event.message, now)
    case 'goLive':
      return signOff(operation, now)
    case 'cancel':
      return cancel(operation, event.reason, now)
  }
}

/** Whether the worker has work on this operation at `now`. */
export function isDue(operation: Operation, now: Date): boolean {
  return (
    operation.state === 'running' &&
    operation.nextDueTime !== undefined &&
    Date.parse(operation.nextDueTime) <= now.getTime()
  )
}

/** No pipeline has this many steps: a bound against a bug looping forever. */
const MAX_SETTLED_TRANSITIONS = 50

/**
 * `first`, then every tick that is due at `now` after it, in order: what the worker would store one
 * pass at a time, decided at once. In the instant profile a whole phase settles in the transaction
 * that started it; in the others the next step is not due yet and the chain is `[first]`.
 */
export function settle(first: Transition, now: Date): Transition[] {
  const chain = [first]
  let last = first
  while (isDue(last.operation, now) && chain.length < MAX_SETTLED_TRANSITIONS) {
    last = finishCurrentStep(last.operation, now)
    chain.push(last)
  }
  return chain
}

function tick(operation: Operation, now: Date): Transition {
  if (!isDue(operation, now)) return { operation, effects: [] }
  return finishCurrentStep(operation, now)
}

function advance(operation: Operation, now: Date): Transition | ApiError {
  const problem = needsRunningStep(operation, 'advance')
  if (problem) return problem
  return finishCurrentStep(operation, now)
}

function failCurrent(
  operation: Operation,
  outcome: 'blocked' | 'failed',
  message: string,
  now: Date,
): Transition | ApiError {
  const problem = needsRunningStep(operation, outcome === 'blocked' ? 'block' : 'fail')
  if (problem) return problem
  return stopAt(operation, currentIndex(operation), outcome, [message], now)
}

/** Go-live accepted: the publish's sign-off step is complete and the publish has succeeded. */
function signOff(operation: Operation, now: Date): Transition | ApiError {
  if (operation.kind !== 'publish' || operation.state !== 'waitingForPublisherReview') {
    return errors.invalidOperationState(operation.id, operation.state, 'go live')
  }
  const at = formatTimestamp(now)
  const steps = operation.steps.map((step) =>
    step.status === 'waitingForPublisherReview'
      ? {
          ...step,
          status: 'complete' as const,
          finishedTime: at,
          messages: [...step.messages, info('Publisher signed off.', at)],
        }
      : step,
  )
  return {
    operation: { ...operation, steps, state: 'succeeded', nextDueTime: undefined, changedTime: at },
    effects: [],
  }
}

function cancel(operation: Operation, reason: string | undefined, now: Date): Transition | ApiError {
  if (
    operation.kind !== 'publish' ||
    (operation.state !== 'running' && operation.state !== 'waitingForPublisherReview')
  ) {
    return errors.operationNotCancelable(
      operation.offerId,
      operation.kind === 'goLive' && operation.state === 'running'
        ? 'the offer is going live, which cannot be canceled'
        : `its last operation is ${operation.state}`,
    )
  }
  const at = formatTimestamp(now)
  const unfinished: readonly StepStatus[] = ['notStarted', 'inProgress', 'waitingForPublisherReview']
  const steps = operation.steps.map((step) =>
    unfinished.includes(step.status)
      ? {
          ...step,
          status: 'canceled' as const,
          ...(step.startedTime === undefined ? {} : { finishedTime: at }),
        }
      : step,
  )
  const effects: OperationEffect[] = []
  // The Preview slot went to this version at sign-off: it goes back to what it held before.
  if (operation.state === 'waitingForPublisherReview') {
    effects.push({ kind: 'slot', slot: 'preview', version: operation.previousPreviewVersion })
  }
  effects.push({ kind: 'offerStatus', status: 'canceled' }, { kind: 'notify', event: 'canceled' })
  return {
    operation: {
      ...operation,
      steps,
      state: 'canceled',
      nextDueTime: undefined,
      changedTime: at,
      messages: [...operation.messages, info(reason ?? 'The operation was canceled.', at)],
    },
    effects,
  }
}

function needsRunningStep(operation: Operation, action: string): ApiError | undefined {
  if (operation.state !== 'running' || currentIndex(operation) === -1) {
    return errors.invalidOperationState(operation.id, operation.state, action)
  }
  return undefined
}

function currentIndex(operation: Operation): number {
  return operation.steps.findIndex((step) => step.status === 'inProgress')
}

/** The running step has run its course: it completes, or fails as planned; then the next one starts. */
function finishCurrentStep(operation: Operation, now: Date): Transition {
  const index = currentIndex(operation)
  const step = operation.steps[index] as OperationStep
  const fault = operation.faults.find((planned) => planned.stepId === step.id && planned.outcome === 'failed')
  if (fault) return stopAt(operation, index, 'failed', fault.messages, now)
  const at = formatTimestamp(now)
  const completed = {
    ...step,
    status: 'complete' as const,
    finishedTime: at,
    messages: [...step.messages, info('Step completed.', at)],
  }
  return proceed(withStep(operation, index, completed, at), now)
}

/**
 * Starts the next step of this operation's phase, or ends the phase: a publish reaches publisher
 * sign-off (Preview gets the new version), a go-live reaches its end (Production gets it).
 */
export function proceed(
  operation: Operation,
  now: Date,
  effects: readonly OperationEffect[] = [],
): Transition {
  const at = formatTimestamp(now)
  const index = operation.steps.findIndex(
    (step) => step.status === 'notStarted' && inPhase(operation, step.id),
  )
  if (index === -1) {
    return {
      operation: { ...operation, state: 'succeeded', nextDueTime: undefined, changedTime: at },
      effects: [
        ...effects,
        { kind: 'slot', slot: 'production', version: operation.offerVersion },
        { kind: 'offerStatus', status: 'succeeded' },
        { kind: 'notify', event: 'live' },
      ],
    }
  }
  const step = operation.steps[index] as OperationStep
  const definition = pipelineStep(operation.offerTypeId, step.id)
  if (definition?.phase === 'signoff') {
    const waiting = { ...step, status: 'waitingForPublisherReview' as const, startedTime: at }
    return {
      operation: {
        ...withStep(operation, index, waiting, at),
        state: 'waitingForPublisherReview',
        nextDueTime: undefined,
      },
      effects: [
        ...effects,
        { kind: 'slot', slot: 'preview', version: operation.offerVersion },
        { kind: 'offerStatus', status: 'waitingForPublisherReview' },
        { kind: 'notify', event: 'waitingForPublisherReview' },
      ],
    }
  }
  const blocker = operation.faults.find(
    (planned) => planned.stepId === step.id && planned.outcome === 'blocked',
  )
  if (blocker) {
    const stopped = stopAt(operation, index, 'blocked', blocker.messages, now)
    return { operation: stopped.operation, effects: [...effects, ...stopped.effects] }
  }
  const duration = definition ? stepDurationMs(operation.timing, definition) : 0
  const dueTime = duration === undefined ? undefined : formatTimestamp(new Date(now.getTime() + duration))
  const started = {
    ...step,
    status: 'inProgress' as const,
    startedTime: at,
    ...(dueTime === undefined ? {} : { dueTime }),
  }
  return { operation: { ...withStep(operation, index, started, at), nextDueTime: dueTime }, effects }
}

/** A step stops the operation: `blocked` (it cannot start, as in the reference's E11 example) or `failed`. */
function stopAt(
  operation: Operation,
  index: number,
  outcome: 'blocked' | 'failed',
  reasons: readonly string[],
  now: Date,
): Transition {
  const at = formatTimestamp(now)
  const step = operation.steps[index] as OperationStep
  const messages: OperationMessage[] = [...step.messages, ...reasons.map((reason) => error(reason, at))]
  if (outcome === 'blocked') messages.push(info('This step has not started yet.', at))
  const stopped: OperationStep = { ...step, status: outcome, messages, finishedTime: at }
  const name = pipelineStep(operation.offerTypeId, step.id)?.stepName ?? step.id
  return {
    operation: {
      ...withStep(operation, index, stopped, at),
      state: 'failed',
      nextDueTime: undefined,
      messages: [...operation.messages, error(`The operation failed: step '${name}' is ${outcome}.`, at)],
    },
    effects: [
      { kind: 'offerStatus', status: 'failed' },
      { kind: 'notify', event: 'failed' },
    ],
  }
}

function inPhase(operation: Operation, stepId: string): boolean {
  const phase = pipelineStep(operation.offerTypeId, stepId)?.phase ?? 'publish'
  return operation.kind === 'publish' ? phase !== 'goLive' : phase === 'goLive'
}

function withStep(operation: Operation, index: number, step: OperationStep, at: string): Operation {
  return {
    ...operation,
    steps: operation.steps.map((each, i) => (i === index ? step : each)),
    changedTime: at,
  }
}

export function info(messageHtml: string, timestamp: string): OperationMessage {
  return { messageHtml, level: 'information', timestamp }
}

function error(messageHtml: string, timestamp: string): OperationMessage {
  return { messageHtml, level: 'error', timestamp }
}
