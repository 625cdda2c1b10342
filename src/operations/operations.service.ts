import { randomUUID } from 'node:crypto'
import type { AuditRecorder } from '../audit/record-change.ts'
import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import { ApiError } from '../errors/api-error.ts'
import { errors } from '../errors/errors.ts'
import type { Offer } from '../offers/offer.ts'
import type { OfferStamp } from '../offers/offers.store.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { StoreSet, Stores } from '../stores.ts'
import { applyEvent, retryingConflicts, storeNewOperation, storeNewPublish } from './apply-transition.ts'
import { newGoLiveOperation, newPublishOperation } from './new-operations.ts'
import { OPERATION_ID_PATTERN, type Operation, type OperationTiming, type PlannedFault } from './operation.ts'
import { parseSubmissionKey } from './operation-location.ts'
import { offerPublishingStatus, operationDetail, submission, type Wording } from './operation-view.ts'
import type {
  OfferPublishingStatus,
  OperationDetail,
  PublishRequest,
  Submission,
} from './operations.schema.ts'
import { pipelineOf } from './pipelines.ts'
import type { PublishingActions } from './publishing-actions.ts'
import { decideCancel, decideGoLive, decidePublish } from './publishing-decisions.ts'
import { type PublishingState, readPublishingState } from './publishing-state.ts'
import { matchesState, parseStateFilter } from './submission-filter.ts'

export type PublishingConfig = Pick<
  Config,
  | 'publishProfile'
  | 'publishTimeScale'
  | 'operationSuccessStatus'
  | 'submissionSuccessState'
  | 'stepNameAsId'
  | 'strictCancel'
>

export interface OperationServiceDeps {
  /** The stores and their units of work (see samples/sample-history.ts for one inside a larger unit). */
  readonly stores: Pick<Stores, keyof StoreSet | 'transaction'>
  readonly access: PublisherAccess
  readonly clock: Clock
  readonly config: PublishingConfig
  /** Records publish, go-live and cancel in their units of work. */
  readonly audit: AuditRecorder
  /** Called after an operation was created or changed, so the worker looks at it at once. */
  readonly wake?: () => void
}

/** What publish, go-live and cancel answer: the operation, for its Location, and as E11 shows it. */
export interface Accepted {
  readonly operation: Operation
  readonly detail: OperationDetail
}

/** One unit of work's outcome, before it is rendered. */
interface Outcome {
  readonly operation: Operation
}

/** The rules of publishing (E5, E7–E12); HTTP-free. */
export interface OperationService {
  /** The offer's status with the steps of its latest operation (E5). */
  offerStatus(caller: Caller, publisherId: string, offerId: string): Promise<OfferPublishingStatus>
  /**
   * Snapshots the draft and starts its publish, in one transaction (E7). Idempotent for the draft in
   * flight; a changed draft replaces a publish that waits for sign-off (the documented CI flow:
   * check Preview, fix, publish again) but not one that is still running.
   */
  publish(caller: Caller, publisherId: string, offerId: string, body: PublishRequest): Promise<Accepted>
  /** Signs the waiting publish off and starts its go-live (E8); idempotent while that go-live runs. */
  goLive(caller: Caller, publisherId: string, offerId: string, body: PublishRequest): Promise<Accepted>
  /**
   * Cancels the publish in flight, synchronously (E9). With nothing that can be canceled (no publish
   * in flight, or a go-live running) the real service answered 202 all the same (openshift-ansible's
   * publish module): by default so do we, naming the offer's latest operation, unchanged.
   * `strictCancel` refuses instead (409), as the reference's cancellationRequestState suggests.
   */
  cancel(
    caller: Caller,
    publisherId: string,
    offerId: string,
    body: PublishRequest,
  ): Promise<Accepted & { readonly canceled: boolean }>
  /**
   * Whether publish, go-live and cancel would be accepted now, and if not why (the portal's
   * buttons); the same access check as those calls.
   */
  actions(caller: Caller, publisherId: string, offerId: string): Promise<PublishingActions>
  /** The offer's publishing as the portal shows it, with the same access check. */
  publishingState(caller: Caller, publisherId: string, offerId: string): Promise<PublishingState>
  /** The offer's operations, newest first, filtered by status words (E10). */
  listSubmissions(
    caller: Caller,
    publisherId: string,
    offerId: string,
    filters: readonly (string | undefined)[],
  ): Promise<Submission[]>
  /** One operation of the offer (E11). */
  getOperation(
    caller: Caller,
    publisherId: string,
    offerId: string,
    operationId: string,
  ): Promise<OperationDetail>
  /** `/api/operations/{publisherId}${offerId}${publishingVersion}${slot}` (E12). */
  getSubmission(caller: Caller, key: string): Promise<OperationDetail>
}

export function createOperationService(deps: OperationServiceDeps): OperationService {
  const { stores, clock } = deps
  const wording: Wording = deps.config
  const timing = (): OperationTiming => ({
    profile: deps.config.publishProfile,
    timeScale: deps.config.publishTimeScale,
  })

  /**
   * The offer's status, for the calls that need no more of it: its stamp is read without the
   * definition (20 KB for a VM offer with ten plans), which a poll of the status would otherwise
   * read and parse every time.
   */
  async function requireOfferStamp(set: StoreSet, publisherId: string, offerId: string): Promise<OfferStamp> {
    const stamp = await set.offers.findOfferStamp(publisherId, offerId)
    if (!stamp) throw errors.offerNotFound(publisherId, offerId)
    return stamp
  }

  /**
   * One unit of work, retried when it lost a race. The worker is woken after it commits when the
   * operation still has a step to run; one that settled at once (the instant profile) has none.
   */
  async function unitOfWork<T extends Outcome>(
    key: string,
    work: (set: StoreSet, now: Date) => Promise<T>,
  ): Promise<T & Accepted> {
    const outcome = await retryingConflicts(key, () => stores.transaction((set) => work(set, clock.now())))
    if (outcome.operation.nextDueTime !== undefined) deps.wake?.()
    return { ...outcome, detail: operationDetail(outcome.operation, clock.now(), wording) }
  }

  /** The change's record, in its unit of work: an answer that changed nothing records nothing. */
  async function recordOperation(
    set: StoreSet,
    action: 'offer.publish' | 'offer.go-live' | 'offer.cancel',
    operation: Operation,
    details: Record<string, unknown>,
  ): Promise<void> {
    await deps.audit.record(set.audit, {
      action,
      publisherId: operation.publisherId,
      offerId: operation.offerId,
      subjectId: operation.id,
      outcome: operation.state,
      details,
    })
  }

  return {
    async offerStatus(caller: Caller, publisherId: string, offerId: string): Promise<OfferPublishingStatus> {
      await deps.access.require(caller, publisherId)
      const found = await stores.operations.findOfferOperation(publisherId, offerId, 'latest')
      if (!found) throw errors.offerNotFound(publisherId, offerId)
      return offerPublishingStatus(found.offerStatus, found.operation, clock.now(), wording)
    },

    async publish(
      caller: Caller,
      publisherId: string,
      offerId: string,
      body: PublishRequest,
    ): Promise<Accepted> {
      await deps.access.require(caller, publisherId)
      return unitOfWork(`${publisherId}/${offerId}`, async (set, now) => {
        // One read for all the publish decides on (on PostgreSQL one round trip where it was five).
        const context = await set.operations.findPublishContext(publisherId, offerId)
        if (!context) throw errors.offerNotFound(publisherId, offerId)
        const { offer, nextPublishFault: injected } = context
        const decision = decidePublish(offer, context.inFlight)
        if (decision instanceof ApiError) throw decision
        if (decision.kind === 'inFlight') return { operation: decision.operation }
        const { blockers, replaces } = decision
        if (replaces) {
          await applyEvent(
            set,
            replaces,
            { type: 'cancel', reason: 'Canceled: a new publish of the changed draft replaced it.' },
            now,
          )
        }
        if (injected) await set.operations.clearNextPublishFault(publisherId, offerId)
        const faults: PlannedFault[] = [
          ...(injected ? [injected] : []),
          ...(blockers.length > 0
            ? [
                {
                  stepId: pipelineOf(offer.offerTypeId).certificationStepId,
                  outcome: 'blocked' as const,
                  messages: blockers,
                },
              ]
            : []),
        ]
        // Canceling the publish it replaces gave Preview back what it held before that publish.
        const previousPreviewVersion = replaces
          ? (await set.offers.findSlotStamp(publisherId, offerId, 'preview'))?.slotVersion
          : context.previewVersion
        // The draft read above becomes version `offer.version`; storeNewPublish writes the snapshot
        // only if the draft is still that one.
        const created = newPublishOperation(
          {
            id: randomUUID(),
            publisherId,
            offerId,
            offerTypeId: offer.offerTypeId,
            publishingVersion: context.nextPublishingVersion,
            offerVersion: offer.version,
            draftChangedTime: offer.changedTime,
            previousPreviewVersion,
            migrated: isMigrated(offer),
            notificationEmails: notificationEmails(body),
            timing: timing(),
            faults,
          },
          now,
        )
        const operation = await storeNewPublish(set, created, now)
        await recordOperation(set, 'offer.publish', operation, {
          publishingVersion: operation.publishingVersion,
          offerVersion: operation.offerVersion,
          ...(replaces ? { replacedOperationId: replaces.id } : {}),
        })
        return { operation }
      })
    },

    async goLive(
      caller: Caller,
      publisherId: string,
      offerId: string,
      body: PublishRequest,
    ): Promise<Accepted> {
      await deps.access.require(caller, publisherId)
      return unitOfWork(`${publisherId}/${offerId}`, async (set, now) => {
        const found = await set.operations.findOfferOperation(publisherId, offerId, 'inFlight')
        if (!found) throw errors.offerNotFound(publisherId, offerId)
        const decision = decideGoLive(offerId, found.offerStatus, found.operation)
        if (decision instanceof ApiError) throw decision
        if (decision.kind === 'inFlight') return { operation: decision.operation }
        const { waiting } = decision
        const signedOff = await applyEvent(set, waiting, { type: 'goLive' }, now)
        const created = newGoLiveOperation(
          signedOff,
          { id: randomUUID(), notificationEmails: notificationEmails(body), timing: timing() },
          now,
        )
        const operation = await storeNewOperation(set, created, now)
        await recordOperation(set, 'offer.go-live', operation, {
          publishingVersion: operation.publishingVersion,
          signedOffOperationId: waiting.id,
        })
        return { operation }
      })
    },

    async cancel(
      caller: Caller,
      publisherId: string,
      offerId: string,
      body: PublishRequest,
    ): Promise<Accepted & { readonly canceled: boolean }> {
      await deps.access.require(caller, publisherId)
      return unitOfWork(`${publisherId}/${offerId}`, async (set, now) => {
        await requireOfferStamp(set, publisherId, offerId)
        const decision = decideCancel(
          offerId,
          await latestOperation(set, publisherId, offerId),
          deps.config.strictCancel,
        )
        if (decision instanceof ApiError) throw decision
        if (decision.kind === 'nothing') return { operation: decision.latest, canceled: false }
        const inFlight = decision.operation
        const emails = notificationEmails(body)
        const base = emails === undefined ? inFlight : { ...inFlight, notificationEmails: emails }
        const operation = await applyEvent(set, inFlight, { type: 'cancel' }, now, base)
        await recordOperation(set, 'offer.cancel', operation, {
          publishingVersion: operation.publishingVersion,
        })
        return { operation, canceled: true }
      })
    },

    async actions(caller: Caller, publisherId: string, offerId: string): Promise<PublishingActions> {
      return (await readPublishingState(deps, caller, publisherId, offerId)).actions
    },

    publishingState: (caller, publisherId, offerId) =>
      readPublishingState(deps, caller, publisherId, offerId),

    async listSubmissions(
      caller: Caller,
      publisherId: string,
      offerId: string,
      filters: readonly (string | undefined)[],
    ): Promise<Submission[]> {
      await deps.access.require(caller, publisherId)
      const wanted = filters.filter((value): value is string => value !== undefined && value.trim() !== '')
      const states = wanted.map(parseStateFilter)
      await requireOfferStamp(stores, publisherId, offerId)
      const operations = await stores.operations.listOperations(publisherId, offerId)
      return operations
        .filter((operation) => states.every((state) => matchesState(operation, state)))
        .map((operation) => submission(operation, wording))
    },

    async getOperation(
      caller: Caller,
      publisherId: string,
      offerId: string,
      operationId: string,
    ): Promise<OperationDetail> {
      await deps.access.require(caller, publisherId)
      await requireOfferStamp(stores, publisherId, offerId)
      const operation = OPERATION_ID_PATTERN.test(operationId)
        ? await stores.operations.findOperation(operationId.toLowerCase())
        : undefined
      if (!operation || operation.publisherId !== publisherId || operation.offerId !== offerId) {
        throw errors.operationNotFound(operationId)
      }
      return operationDetail(operation, clock.now(), wording)
    },

    async getSubmission(caller: Caller, key: string): Promise<OperationDetail> {
      const parsed = parseSubmissionKey(key)
      if (!parsed) throw errors.operationNotFound(key)
      await deps.access.require(caller, parsed.publisherId)
      const operation = await stores.operations.findBySubmission(
        parsed.publisherId,
        parsed.offerId,
        parsed.publishingVersion,
        parsed.slot,
      )
      if (!operation) throw errors.operationNotFound(key)
      return operationDetail(operation, clock.now(), wording)
    },
  }
}

/** The operation in flight, or else the offer's newest: what a cancel is about. */
async function latestOperation(
  set: StoreSet,
  publisherId: string,
  offerId: string,
): Promise<Operation | undefined> {
  const inFlight = await set.operations.findInFlight(publisherId, offerId)
  if (inFlight) return inFlight
  const [latest] = await set.operations.listOperations(publisherId, offerId)
  return latest
}

/** A string or a list of addresses, as clients send them; blank means none. */
function notificationEmails(body: PublishRequest): string | undefined {
  const given = body.metadata?.['notification-emails']
  const list = (Array.isArray(given) ? given : (given ?? '').split(','))
    .map((address) => address.trim())
    .filter((address) => address !== '')
  return list.length === 0 ? undefined : list.join(',')
}

function isMigrated(offer: Offer): boolean {
  const status = offer.extras.pcMigrationStatus
  return typeof status === 'string' && status.toLowerCase() === 'migrated'
}
