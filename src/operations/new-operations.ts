import { formatTimestamp } from '../timestamps.ts'
import type { Operation, OperationTiming, PlannedFault } from './operation.ts'
import { proceed, type Transition } from './operation-transitions.ts'
import { pipelineOf } from './pipelines.ts'

/** What a publish knows when it starts; the draft has just been snapshotted as `offerVersion`. */
export interface PublishStart {
  readonly id: string
  readonly publisherId: string
  readonly offerId: string
  readonly offerTypeId: string
  readonly publishingVersion: number
  readonly offerVersion: number
  readonly draftChangedTime: string
  readonly previousPreviewVersion: number | undefined
  readonly migrated: boolean
  readonly notificationEmails: string | undefined
  readonly timing: OperationTiming
  readonly faults: readonly PlannedFault[]
}

/** A new publish operation, its first step already started: the whole pipeline is listed, not started. */
export function newPublishOperation(start: PublishStart, now: Date): Transition {
  const at = formatTimestamp(now)
  const operation: Operation = {
    ...start,
    kind: 'publish',
    slot: 'staging',
    state: 'running',
    messages: [],
    steps: pipelineOf(start.offerTypeId).steps.map((step) => ({
      id: step.id,
      status: 'notStarted',
      messages: [],
    })),
    createdTime: at,
    changedTime: at,
    rowVersion: 0,
  }
  return proceed(operation, now, [
    { kind: 'offerStatus', status: 'running' },
    { kind: 'notify', event: 'started' },
  ])
}

/**
 * The go-live of a publish that was signed off: same submission (publishing version, offer version),
 * production slot. Its steps show the publish's history, then run the go-live phase. Faults planned
 * for go-live steps travel with it.
 */
export function newGoLiveOperation(
  signedOff: Operation,
  start: {
    readonly id: string
    readonly notificationEmails: string | undefined
    readonly timing: OperationTiming
  },
  now: Date,
): Transition {
  const at = formatTimestamp(now)
  const operation: Operation = {
    ...signedOff,
    id: start.id,
    kind: 'goLive',
    slot: 'production',
    state: 'running',
    notificationEmails: start.notificationEmails ?? signedOff.notificationEmails,
    timing: start.timing,
    messages: [],
    createdTime: at,
    changedTime: at,
    nextDueTime: undefined,
    rowVersion: 0,
  }
  return proceed(operation, now, [
    { kind: 'offerStatus', status: 'running' },
    { kind: 'notify', event: 'started' },
  ])
}
