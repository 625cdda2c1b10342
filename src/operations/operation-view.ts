import type { SuccessWord } from '../config.schema.ts'
import type { OfferStatus } from '../offers/offer.ts'
import { parseTimestamp } from '../timestamps.ts'
import type { CancellationRequestState, Operation, OperationStep } from './operation.ts'
import { progressPercentage } from './operation-timing.ts'
import type { OfferPublishingStatus, OperationDetail, StepView, Submission } from './operations.schema.ts'
import { pipelineStep } from './pipelines.ts'

/** The configurable words of the read model (src/config.ts; docs/compatibility.md). */
export interface Wording {
  readonly operationSuccessStatus: SuccessWord
  readonly submissionSuccessState: SuccessWord
  /** Step names equal to the step ids, for SUSE's client (Appendix A, conflict 2). */
  readonly stepNameAsId: boolean
}

/** Ticks between 0001-01-01 (.NET DateTime) and 1970-01-01: the list's `version` is .NET ticks. */
const DOTNET_EPOCH_TICKS = 621_355_968_000_000_000n

/** `GET …/operations/{id}` and the Location URL: one object (reference E11, Appendix A). */
export function operationDetail(operation: Operation, now: Date, wording: Wording): OperationDetail {
  return {
    status: operationStatus(operation, wording.operationSuccessStatus),
    messages: [...operation.messages],
    publishingVersion: operation.publishingVersion,
    offerVersion: operation.offerVersion,
    cancellationRequestState: cancellationRequestState(operation),
    steps: stepViews(operation, now, wording),
    previewLinks: [],
    liveLinks: [],
    ...emails(operation),
  }
}

/** `GET …/offers/{offerId}/status`: the offer's status with its latest operation's steps (E5). */
export function offerPublishingStatus(
  status: OfferStatus,
  latest: Operation | undefined,
  now: Date,
  wording: Pick<Wording, 'stepNameAsId'>,
): OfferPublishingStatus {
  return {
    status,
    messages: latest ? [...latest.messages] : [],
    steps: latest ? stepViews(latest, now, wording) : [],
    previewLinks: [],
    liveLinks: [],
    ...(latest ? emails(latest) : {}),
  }
}

/** One item of `GET …/submissions` (E10). */
export function submission(operation: Operation, wording: Wording): Submission {
  return {
    id: operation.id,
    offerId: operation.offerId,
    offerVersion: operation.offerVersion,
    offerTypeId: operation.offerTypeId,
    publisherId: operation.publisherId,
    submissionType: operation.kind,
    submissionState: operationStatus(operation, wording.submissionSuccessState),
    publishingVersion: operation.publishingVersion,
    slot: operation.slot,
    version: parseTimestamp(operation.changedTime) + DOTNET_EPOCH_TICKS,
    definition: { metadata: operation.migrated ? {} : { emails: operation.notificationEmails ?? '' } },
    changedTime: operation.changedTime,
  }
}

/**
 * The wire status of an operation. A publish waiting for sign-off has done its work: it reports
 * success, so that pollers (mash, glci) stop and call go-live, as they did against the real service.
 */
export function operationStatus(operation: Operation, success: SuccessWord): OperationDetail['status'] {
  switch (operation.state) {
    case 'running':
      return 'running'
    case 'waitingForPublisherReview':
    case 'succeeded':
      return success
    case 'failed':
      return 'failed'
    case 'canceled':
      return 'canceled'
  }
}

export function cancellationRequestState(operation: Operation): CancellationRequestState {
  const cancelable =
    operation.kind === 'publish' &&
    (operation.state === 'running' || operation.state === 'waitingForPublisherReview')
  return cancelable ? 'canCancel' : 'cannotCancel'
}

function stepViews(operation: Operation, now: Date, wording: Pick<Wording, 'stepNameAsId'>): StepView[] {
  return operation.steps.map((step) => stepView(operation.offerTypeId, step, now, wording.stepNameAsId))
}

function stepView(offerTypeId: string, step: OperationStep, now: Date, stepNameAsId: boolean): StepView {
  const definition = pipelineStep(offerTypeId, step.id)
  return {
    ...(definition?.estimatedTimeFrame === undefined
      ? {}
      : { estimatedTimeFrame: definition.estimatedTimeFrame }),
    id: step.id,
    stepName: stepNameAsId ? step.id : (definition?.stepName ?? step.id),
    description: definition?.description ?? '',
    status: step.status,
    messages: [...step.messages],
    progressPercentage: progressPercentage(step, now),
  }
}

/**
 * `notificationEmails` is echoed for offers that were not migrated to Partner Center only (§1.3), and
 * then always, as in every example of the reference: `""` when the request named nobody.
 */
function emails(operation: Operation): { notificationEmails?: string } {
  return operation.migrated ? {} : { notificationEmails: operation.notificationEmails ?? '' }
}
