import type { FastifyInstance } from 'fastify'
import { errors } from '../../errors/errors.ts'
import { FAULT_OUTCOMES, type FaultOutcome } from '../../operations/operation.ts'
import type { OperationAdmin, StepAction } from '../../operations/operations-admin.service.ts'
import { STEP_ACTIONS } from '../../operations/operations-admin.service.ts'
import { viewerOf } from '../viewer.ts'
import { publishingPath } from './publishing-paths.ts'

type OfferParams = { publisherId: string; offerId: string }
type Form = Record<string, unknown>

/**
 * The test controls' forms (test-controls.ts): the /admin API's step control and failure injection,
 * through the same service and its Owner check. Registered only where /admin is served.
 */
export function testControlRoutes(
  app: FastifyInstance,
  options: { readonly admin: OperationAdmin; readonly prefix: string },
): void {
  const { admin, prefix } = options
  const back = (params: OfferParams, done: string) => `${publishingPath(prefix, params)}?done=${done}`

  app.post<{ Params: OfferParams & { operationId: string }; Body: Form }>(
    '/publishers/:publisherId/offers/:offerId/publishing/operations/:operationId/step',
    async (request, reply) => {
      const action = STEP_ACTIONS.find((each) => each === text(request.body?.action)) as
        | StepAction
        | undefined
      if (!action)
        throw errors.badRequest(`Choose advance, fail or block, not '${text(request.body?.action)}'.`)
      const message = messageOf(request.body?.message)
      const operation = await admin.operation(request.params.operationId, viewerOf(request).caller)
      // The form is the offer's: an operation of another offer is as unknown here as in the URL.
      if (
        operation.publisherId !== request.params.publisherId ||
        operation.offerId !== request.params.offerId
      ) {
        throw errors.operationNotFound(request.params.operationId)
      }
      await admin.step(operation.id, action, message === '' ? undefined : message, viewerOf(request).caller)
      return reply.redirect(back(request.params, 'step'), 303)
    },
  )

  app.post<{ Params: OfferParams; Body: Form }>(
    '/publishers/:publisherId/offers/:offerId/publishing/next-failure',
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      const outcome = FAULT_OUTCOMES.find((each) => each === text(request.body?.outcome)) as
        | FaultOutcome
        | undefined
      const message = messageOf(request.body?.message)
      if (!outcome) throw errors.badRequest('Choose how the step fails: failed or blocked.')
      if (message === '') throw errors.badRequest('Enter the message the failing step shows.')
      const stepId = text(request.body?.stepId)
      await admin.setNextPublishFault(
        publisherId,
        offerId,
        { stepId, outcome, message },
        viewerOf(request).caller,
      )
      return reply.redirect(back(request.params, 'next-failure'), 303)
    },
  )

  app.post<{ Params: OfferParams }>(
    '/publishers/:publisherId/offers/:offerId/publishing/next-failure/clear',
    async (request, reply) => {
      await admin.clearNextPublishFault(
        request.params.publisherId,
        request.params.offerId,
        viewerOf(request).caller,
      )
      return reply.redirect(back(request.params, 'next-failure-cleared'), 303)
    },
  )
}

/** As the /admin API's schema has it (operations-admin.schema.ts). */
const MAX_MESSAGE_LENGTH = 2000

function messageOf(value: unknown): string {
  const given = text(value)
  if (given.length > MAX_MESSAGE_LENGTH) {
    throw errors.badRequest(`The message is longer than ${MAX_MESSAGE_LENGTH} characters.`)
  }
  return given
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}
