import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { type Static, Type } from 'typebox'
import { ErrorBodySchema } from '../errors/error-body.schema.ts'
import { callerOf } from '../http/caller.ts'
import type { PlannedFault } from './operation.ts'
import { operationDetail, type Wording } from './operation-view.ts'
import { emptyBodyIsNone } from './operations.routes.ts'
import { OfferParamsSchema, OperationDetailSchema } from './operations.schema.ts'
import {
  AdminOperationParamsSchema,
  OutboxListSchema,
  PublishFaultRequestSchema,
  PublishFaultSchema,
  StepActionRequestSchema,
} from './operations-admin.schema.ts'
import type { OperationAdmin, StepAction } from './operations-admin.service.ts'

export interface AdminRouteOptions {
  readonly admin: OperationAdmin
  readonly wording: Wording
  readonly now: () => Date
}

const TAGS = ['Emulator administration']
const errorResponses = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
}

/**
 * /admin: the emulator's controls (docs/publishing.md). Same bearer tokens as the API (the /admin
 * scope of app.ts authenticates), but only for principals holding an Owner grant on the publisher
 * concerned; no api-version. Served in development mode, and in production mode only with --admin-api.
 */
export async function operationAdminRoutes(app: FastifyInstance, options: AdminRouteOptions): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { admin } = options

  for (const action of ['advance', 'fail', 'block'] as const satisfies readonly StepAction[]) {
    api.post(
      `/operations/:operationId/${action}`,
      {
        preValidation: emptyBodyIsNone,
        schema: {
          operationId: `${action}OperationStep`,
          summary: STEP_SUMMARIES[action],
          description: `${STEP_SUMMARIES[action]}. Works in every profile; the manual profile waits for it.`,
          tags: TAGS,
          params: AdminOperationParamsSchema,
          body: StepActionRequestSchema,
          response: { 200: OperationDetailSchema, ...errorResponses },
        },
      },
      async (request) => {
        const operation = await admin.step(
          request.params.operationId,
          action,
          request.body.message,
          callerOf(request),
        )
        return operationDetail(operation, options.now(), options.wording)
      },
    )
  }

  api.get(
    '/operations/:operationId/outbox',
    {
      schema: {
        operationId: 'getOperationOutbox',
        summary: 'Read the outbox of an operation',
        description: 'The notification e-mails the service would have sent for the operation, in order.',
        tags: TAGS,
        params: AdminOperationParamsSchema,
        response: { 200: OutboxListSchema, ...errorResponses },
      },
    },
    async (request) =>
      (await admin.outbox(request.params.operationId, callerOf(request))).map((message) => ({
        ...message,
        to: [...message.to],
      })),
  )

  const faultPath = '/publishers/:publisherId/offers/:offerId/next-publish-failure'
  api.put(
    faultPath,
    {
      schema: {
        operationId: 'setNextPublishFailure',
        summary: 'Make the next publish fail',
        description:
          'The next publish of the offer fails at the step, with the message; that publish uses it up.',
        tags: TAGS,
        params: OfferParamsSchema,
        body: PublishFaultRequestSchema,
        response: { 200: PublishFaultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { publisherId, offerId } = request.params
      const { stepId, outcome = 'failed', message } = request.body
      return faultBody(
        await admin.setNextPublishFault(
          publisherId,
          offerId,
          { stepId, outcome, message },
          callerOf(request),
        ),
      )
    },
  )
  api.get(
    faultPath,
    {
      schema: {
        operationId: 'getNextPublishFailure',
        summary: 'Read the failure planned for the next publish',
        tags: TAGS,
        params: OfferParamsSchema,
        response: { 200: PublishFaultSchema, ...errorResponses },
      },
    },
    async (request) =>
      faultBody(
        await admin.findNextPublishFault(
          request.params.publisherId,
          request.params.offerId,
          callerOf(request),
        ),
      ),
  )
  api.delete(
    faultPath,
    {
      schema: {
        operationId: 'clearNextPublishFailure',
        summary: 'Forget the failure planned for the next publish',
        tags: TAGS,
        params: OfferParamsSchema,
        response: { 204: Type.Null({ description: 'Forgotten.' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await admin.clearNextPublishFault(request.params.publisherId, request.params.offerId, callerOf(request))
      return reply.code(204).send(null)
    },
  )
}

function faultBody(fault: PlannedFault): Static<typeof PublishFaultSchema> {
  return { stepId: fault.stepId, outcome: fault.outcome, messages: [...fault.messages] }
}

const STEP_SUMMARIES: Record<StepAction, string> = {
  advance: 'Complete the running step of an operation',
  fail: 'Make the running step of an operation fail',
  block: 'Block the running step of an operation',
}
