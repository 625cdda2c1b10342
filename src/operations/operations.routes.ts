import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { commonErrorResponses, ErrorBodySchema } from '../errors/error-body.schema.ts'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { callerOf } from '../http/caller.ts'
import { operationLocation } from './operation-location.ts'
import {
  OfferParamsSchema,
  OfferPublishingStatusSchema,
  OperationDetailSchema,
  OperationParamsSchema,
  PublishRequestSchema,
  SubmissionKeyParamsSchema,
  SubmissionListQuerySchema,
  SubmissionListSchema,
} from './operations.schema.ts'
import type { Accepted, OperationService } from './operations.service.ts'

const TAGS = ['Publishing']

/**
 * The answer of a long-running call: the operation as `GET …/operations/{id}` shows it (clients call
 * `.json()` on it), and its relative URL in two headers.
 */
const acceptedResponse = (description: string) =>
  Type.Object(OperationDetailSchema.properties, {
    description,
    headers: {
      location: Type.String({ description: 'Relative URL of the operation, with api-version.' }),
      'operation-location': Type.String({ description: 'The same URL (the 2018 header name).' }),
    },
  })

const conflict = { 409: ErrorBodySchema }

/**
 * E5, E7–E12: offer status, publish, go-live, cancel, the submissions list and both operation URLs.
 * Handlers unwrap, call the service, respond; the rules are in operations.service.ts.
 */
export async function operationRoutes(
  app: FastifyInstance,
  options: { operations: OperationService },
): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { operations } = options

  api.get(
    '/publishers/:publisherId/offers/:offerId/status',
    {
      schema: {
        operationId: 'getOfferStatus',
        summary: 'Retrieve offer status',
        description: 'The status of the offer with the steps of its latest operation.',
        tags: TAGS,
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OfferPublishingStatusSchema, ...commonErrorResponses },
      },
    },
    async (request) =>
      operations.offerStatus(callerOf(request), request.params.publisherId, request.params.offerId),
  )

  api.post(
    '/publishers/:publisherId/offers/:offerId/publish',
    {
      preValidation: emptyBodyIsNone,
      schema: {
        operationId: 'publishOffer',
        summary: 'Publish an offer',
        description:
          'Snapshots the draft as a new version and starts publishing it; the operation runs until the version is in the Preview slot, waiting for go-live. Publishing the draft already in flight answers the same operation.',
        tags: TAGS,
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        body: PublishRequestSchema,
        response: {
          202: acceptedResponse('Publishing started (or is already in flight for this draft).'),
          ...commonErrorResponses,
          ...conflict,
          422: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      return accepted(
        reply,
        202,
        await operations.publish(callerOf(request), publisherId, offerId, request.body),
      )
    },
  )

  api.post(
    '/publishers/:publisherId/offers/:offerId/golive',
    {
      preValidation: emptyBodyIsNone,
      schema: {
        operationId: 'goLive',
        summary: 'Go live',
        description:
          'Signs off the version waiting in Preview and pushes it to Production; the operation runs until it is live.',
        tags: TAGS,
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        body: PublishRequestSchema,
        response: {
          202: acceptedResponse('Going live started (or is already in progress).'),
          ...commonErrorResponses,
          ...conflict,
        },
      },
    },
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      return accepted(
        reply,
        202,
        await operations.goLive(callerOf(request), publisherId, offerId, request.body),
      )
    },
  )

  api.post(
    '/publishers/:publisherId/offers/:offerId/cancel',
    {
      preValidation: emptyBodyIsNone,
      schema: {
        operationId: 'cancelOperation',
        summary: 'Cancel operation',
        description:
          'Cancels the publish in progress or waiting for sign-off, synchronously (200). What is live stays live. With nothing that can be canceled, 202 names the latest operation, unchanged.',
        tags: TAGS,
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        body: PublishRequestSchema,
        response: {
          200: acceptedResponse('Canceled; the headers name the canceled operation.'),
          202: acceptedResponse(
            'Nothing could be canceled (the default; --strict-cancel answers 409): the latest operation, unchanged.',
          ),
          ...commonErrorResponses,
          ...conflict,
        },
      },
    },
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      const outcome = await operations.cancel(callerOf(request), publisherId, offerId, request.body)
      return accepted(reply, outcome.canceled ? 200 : 202, outcome)
    },
  )

  api.get(
    '/publishers/:publisherId/offers/:offerId/submissions',
    {
      schema: {
        operationId: 'listOperations',
        summary: 'Retrieve operations',
        description:
          'The operations of the offer, newest first, optionally filtered by state (status, submissionState or filteredStatus; any case).',
        tags: TAGS,
        params: OfferParamsSchema,
        querystring: SubmissionListQuerySchema,
        response: { 200: SubmissionListSchema, ...commonErrorResponses },
      },
    },
    async (request) => {
      const { status, submissionState, filteredStatus } = request.query
      return operations.listSubmissions(
        callerOf(request),
        request.params.publisherId,
        request.params.offerId,
        [status, submissionState, filteredStatus],
      )
    },
  )

  api.get(
    '/publishers/:publisherId/offers/:offerId/operations/:operationId',
    {
      schema: {
        operationId: 'getOperation',
        summary: 'Retrieve an operation',
        description: 'One operation with its steps; the Location of migrated offers points here.',
        tags: TAGS,
        params: OperationParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OperationDetailSchema, ...commonErrorResponses },
      },
    },
    async (request) => {
      const { publisherId, offerId, operationId } = request.params
      return operations.getOperation(callerOf(request), publisherId, offerId, operationId)
    },
  )

  api.get(
    '/operations/:submission',
    {
      schema: {
        operationId: 'getSubmission',
        summary: 'Retrieve an operation by its submission',
        description:
          'The operation URL of offers not migrated to Partner Center: /api/operations/ followed by publisherId, offerId, publishingVersion and slot (preview or production) joined by $, e.g. /api/operations/contoso$contoso-offer$2$preview.',
        tags: TAGS,
        params: SubmissionKeyParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OperationDetailSchema, ...commonErrorResponses },
      },
    },
    async (request) => operations.getSubmission(callerOf(request), request.params.submission),
  )
}

/** Clients send publish, go-live and cancel without a body (or an empty one): that is `{}`. */
export async function emptyBodyIsNone(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {}
}

function accepted(reply: FastifyReply, status: 200 | 202, { operation, detail }: Accepted): FastifyReply {
  const location = operationLocation(operation)
  return reply.code(status).header('location', location).header('operation-location', location).send(detail)
}
