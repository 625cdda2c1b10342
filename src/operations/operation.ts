/**
 * Publishing operations ("submissions") as the domain sees them (reference §4.4, §4.6, §9). Every
 * vocabulary is one literal list, so schemas, the store and the transitions cannot drift apart.
 */
import { type PublishProfile, SUCCESS_WORDS } from '../config.schema.ts'

/** What a submission does: publish runs the steps up to publisher sign-off, go-live the rest. */
export const OPERATION_KINDS = ['publish', 'goLive'] as const
export type OperationKind = (typeof OPERATION_KINDS)[number]

/**
 * The lifecycle of an operation. A publish that reached publisher sign-off is `waitingForPublisherReview`:
 * its own work is done (the wire status is the success word) but it can still be canceled or gone live.
 */
export const OPERATION_STATES = [
  'running',
  'waitingForPublisherReview',
  'succeeded',
  'failed',
  'canceled',
] as const
export type OperationState = (typeof OPERATION_STATES)[number]

/** States in which an operation still holds its offer: only one such operation per offer. */
export const IN_FLIGHT_STATES: readonly OperationState[] = ['running', 'waitingForPublisherReview']

/** The slot an operation targets, as the submissions list names it (`staging` is the Preview slot). */
export const OPERATION_SLOTS = ['staging', 'production'] as const
export type OperationSlot = (typeof OPERATION_SLOTS)[number]

/**
 * Step statuses: the status page's list (camelCase, as every example and client has them) plus `failed`
 * from the operations page, for a step that ran and failed.
 */
export const STEP_STATUSES = [
  'notStarted',
  'inProgress',
  'waitingForPublisherReview',
  'waitingForApproval',
  'blocked',
  'rejected',
  'complete',
  'canceled',
  'failed',
] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export const MESSAGE_LEVELS = ['information', 'warning', 'error'] as const
export type MessageLevel = (typeof MESSAGE_LEVELS)[number]

/** The step and operation message shape of every example: `{messageHtml, level, timestamp}`. */
export interface OperationMessage {
  readonly messageHtml: string
  readonly level: MessageLevel
  readonly timestamp: string
}

/** The wire values of an operation's `status` and of a submission's `submissionState`. */
export const OPERATION_STATUS_WORDS = [
  'notStarted',
  'running',
  ...SUCCESS_WORDS,
  'failed',
  'canceled',
] as const

export interface OperationTiming {
  readonly profile: PublishProfile
  /** Factor applied to the documented step durations by the realistic profile. */
  readonly timeScale: number
}

/** A failure planned for a step: from checkPublishable's blockers, or injected by an administrator. */
export const FAULT_OUTCOMES = ['blocked', 'failed'] as const
export type FaultOutcome = (typeof FAULT_OUTCOMES)[number]

export interface PlannedFault {
  readonly stepId: string
  /** `blocked`: the step cannot start. `failed`: it runs its course, then fails. */
  readonly outcome: FaultOutcome
  readonly messages: readonly string[]
}

/** One step of an operation: what changes. Names, descriptions and estimates come from the pipeline. */
export interface OperationStep {
  readonly id: string
  readonly status: StepStatus
  readonly messages: readonly OperationMessage[]
  readonly startedTime?: string
  /** When an in-progress step completes by itself; absent when it waits for an administrator. */
  readonly dueTime?: string
  readonly finishedTime?: string
}

export interface Operation {
  readonly id: string
  readonly publisherId: string
  readonly offerId: string
  readonly offerTypeId: string
  readonly kind: OperationKind
  readonly slot: OperationSlot
  readonly state: OperationState
  /** The submission counter of the offer; publish and its go-live share it (`…$2$preview`, `…$2$production`). */
  readonly publishingVersion: number
  /** The offer version this operation publishes (the draft's snapshot). */
  readonly offerVersion: number
  /** The draft's changedTime (ETag) when it was snapshotted: a publish of the same draft is idempotent. */
  readonly draftChangedTime: string
  /** What the Preview slot held before this publish, restored if it is canceled. */
  readonly previousPreviewVersion?: number
  /** Migrated offers get the migrated Location form and no notificationEmails (reference §1.3). */
  readonly migrated: boolean
  /** Comma-separated addresses given with the request, as the service echoes them. */
  readonly notificationEmails?: string
  readonly timing: OperationTiming
  readonly faults: readonly PlannedFault[]
  readonly messages: readonly OperationMessage[]
  readonly steps: readonly OperationStep[]
  readonly createdTime: string
  readonly changedTime: string
  /** When the worker has something to do; absent while the operation waits for a person or is done. */
  readonly nextDueTime?: string
  /** Incremented by every write: a transition is stored only if the version read is still current. */
  readonly rowVersion: number
}

/** Whether a cancel would be accepted now. Only `canCancel` is documented; `cannotCancel` is ours. */
export const CANCELLATION_REQUEST_STATES = ['canCancel', 'cannotCancel'] as const
export type CancellationRequestState = (typeof CANCELLATION_REQUEST_STATES)[number]

export function isInFlight(operation: Pick<Operation, 'state'>): boolean {
  return IN_FLIGHT_STATES.includes(operation.state)
}

/** The events an operation reacts to. The worker sends `tick`; people send the others. */
export type OperationEvent =
  | { readonly type: 'tick' }
  | { readonly type: 'advance' }
  | { readonly type: 'fail'; readonly outcome: FaultOutcome; readonly message: string }
  | { readonly type: 'goLive' }
  | { readonly type: 'cancel'; readonly reason?: string }

/** What a transition asks the rest of the system to do, in the same transaction. */
export type OperationEffect =
  | {
      readonly kind: 'offerStatus'
      readonly status: 'running' | 'waitingForPublisherReview' | 'succeeded' | 'failed' | 'canceled'
    }
  | { readonly kind: 'slot'; readonly slot: 'preview' | 'production'; readonly version: number | undefined }
  | { readonly kind: 'notify'; readonly event: NotificationEvent }

export const NOTIFICATION_EVENTS = [
  'started',
  'waitingForPublisherReview',
  'live',
  'failed',
  'canceled',
] as const
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]

/** A notification the service would have e-mailed, kept as the emulator's outbox. */
export interface OutboxMessage {
  readonly operationId: string
  readonly sequence: number
  readonly event: NotificationEvent
  readonly to: readonly string[]
  readonly subject: string
  readonly body: string
  readonly createdTime: string
}

export const OPERATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
