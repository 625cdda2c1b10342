import type { AuditRecorder } from '../audit/record-change.ts'
import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { Stores } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { applyEvent, retryingConflicts } from './apply-transition.ts'
import {
  type FaultOutcome,
  OPERATION_ID_PATTERN,
  type Operation,
  type OutboxMessage,
  type PlannedFault,
} from './operation.ts'
import { pipelineOf } from './pipelines.ts'

export const STEP_ACTIONS = ['advance', 'fail', 'block'] as const
export type StepAction = (typeof STEP_ACTIONS)[number]

export interface OperationAdmin {
  /** Completes the running step (or makes it fail as planned), or stops it blocked or failed. */
  step(
    operationId: string,
    action: StepAction,
    message: string | undefined,
    caller: Caller,
  ): Promise<Operation>
  /** The next publish of the offer fails at the step; 400 for a step its pipeline does not have. */
  setNextPublishFault(
    publisherId: string,
    offerId: string,
    fault: { stepId: string; outcome: FaultOutcome; message: string },
    caller: Caller,
  ): Promise<PlannedFault>
  /** The failure planned for the next publish; 404 when none is. */
  findNextPublishFault(publisherId: string, offerId: string, caller: Caller): Promise<PlannedFault>
  clearNextPublishFault(publisherId: string, offerId: string, caller: Caller): Promise<void>
  /** The offer's operations, newest first. */
  list(publisherId: string, offerId: string, caller: Caller): Promise<Operation[]>
  /** The notification e-mails kept for the operation, in order. */
  outbox(operationId: string, caller: Caller): Promise<OutboxMessage[]>
  operation(operationId: string, caller: Caller): Promise<Operation>
}

/**
 * The emulator's controls, for tests of clients (like moto's state-transition API): drive an
 * operation step by step, make the next publish of an offer fail, read the outbox. Shared by the
 * /admin endpoints and the `cloudpartner operations` commands: every control needs an Owner grant
 * on the publisher concerned (the store administrator, the CLI, holds every one).
 */
export function createOperationAdmin(deps: {
  stores: Stores
  access: PublisherAccess
  clock: Clock
  /** Records the controls that change something (step, planned failures). */
  audit: AuditRecorder
  wake?: () => void
}): OperationAdmin {
  const { stores, clock } = deps
  const authorize = (caller: Caller, publisherId: string) => deps.access.require(caller, publisherId, 'Owner')

  async function requireOperation(operationId: string, caller: Caller): Promise<Operation> {
    const operation = OPERATION_ID_PATTERN.test(operationId)
      ? await stores.operations.findOperation(operationId.toLowerCase())
      : undefined
    if (!operation) throw errors.operationNotFound(operationId)
    await authorize(caller, operation.publisherId)
    return operation
  }

  async function requireOffer(publisherId: string, offerId: string, caller: Caller): Promise<string> {
    await authorize(caller, publisherId)
    const offer = await stores.offers.findOffer(publisherId, offerId)
    if (!offer) throw errors.offerNotFound(publisherId, offerId)
    return offer.offerTypeId
  }

  return {
    async step(
      operationId: string,
      action: StepAction,
      message: string | undefined,
      caller: Caller,
    ): Promise<Operation> {
      const { id } = await requireOperation(operationId, caller)
      const operation = await retryingConflicts(id, () =>
        stores.transaction(async (set) => {
          const current = await set.operations.findOperation(id)
          if (!current) throw errors.operationNotFound(operationId)
          const now = clock.now()
          const stepId = current.steps.find((step) => step.status === 'inProgress')?.id
          let changed: Operation
          if (action === 'advance') changed = await applyEvent(set, current, { type: 'advance' }, now)
          else {
            const outcome: FaultOutcome = action === 'block' ? 'blocked' : 'failed'
            const text = message ?? (outcome === 'blocked' ? 'The step is blocked.' : 'The step failed.')
            changed = await applyEvent(set, current, { type: 'fail', outcome, message: text }, now)
          }
          await deps.audit.record(set.audit, {
            action: `operation.${action}`,
            publisherId: changed.publisherId,
            offerId: changed.offerId,
            subjectId: changed.id,
            outcome: changed.state,
            details: {
              ...(stepId === undefined ? {} : { stepId }),
              ...(message === undefined ? {} : { message }),
            },
          })
          return changed
        }),
      )
      deps.wake?.()
      return operation
    },

    async setNextPublishFault(
      publisherId: string,
      offerId: string,
      fault: { stepId: string; outcome: FaultOutcome; message: string },
      caller: Caller,
    ): Promise<PlannedFault> {
      const offerTypeId = await requireOffer(publisherId, offerId, caller)
      const steps = pipelineOf(offerTypeId).steps.filter((step) => step.phase !== 'signoff')
      if (!steps.some((step) => step.id === fault.stepId)) {
        throw errors.badRequest(
          `Offer '${offerId}' has no step '${fault.stepId}' that can fail. Its steps: ${steps.map((step) => step.id).join(', ')}.`,
        )
      }
      const planned: PlannedFault = {
        stepId: fault.stepId,
        outcome: fault.outcome,
        messages: [fault.message],
      }
      await stores.transaction(async (set) => {
        await set.operations.setNextPublishFault(publisherId, offerId, planned, formatTimestamp(clock.now()))
        await deps.audit.record(set.audit, {
          action: 'publish-failure.set',
          publisherId,
          offerId,
          outcome: planned.outcome,
          details: { stepId: planned.stepId, messages: planned.messages },
        })
      })
      return planned
    },

    async findNextPublishFault(publisherId: string, offerId: string, caller: Caller): Promise<PlannedFault> {
      await requireOffer(publisherId, offerId, caller)
      const fault = await stores.operations.findNextPublishFault(publisherId, offerId)
      if (!fault) throw errors.publishFaultNotFound(publisherId, offerId)
      return fault
    },

    async clearNextPublishFault(publisherId: string, offerId: string, caller: Caller): Promise<void> {
      await requireOffer(publisherId, offerId, caller)
      await stores.transaction(async (set) => {
        if (!(await set.operations.clearNextPublishFault(publisherId, offerId))) {
          throw errors.publishFaultNotFound(publisherId, offerId)
        }
        await deps.audit.record(set.audit, {
          action: 'publish-failure.clear',
          publisherId,
          offerId,
          outcome: 'cleared',
        })
      })
    },

    async list(publisherId, offerId, caller) {
      await authorize(caller, publisherId)
      return stores.operations.listOperations(publisherId, offerId)
    },

    async outbox(operationId: string, caller: Caller): Promise<OutboxMessage[]> {
      const operation = await requireOperation(operationId, caller)
      return stores.operations.listOutbox(operation.id)
    },

    async operation(operationId: string, caller: Caller): Promise<Operation> {
      return requireOperation(operationId, caller)
    },
  }
}
