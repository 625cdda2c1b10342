import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ErrorBodySchema } from '../errors/error-body.schema.ts'
import { callerOf } from '../http/caller.ts'
import { normalizeTimestamp } from '../timestamps.ts'
import { AuditEventListSchema, AuditParamsSchema, AuditQuerySchema } from './audit.schema.ts'
import type { AuditService } from './audit.service.ts'

const DEFAULT_LIMIT = 1000

/**
 * GET /admin/publishers/{publisherId}/audit: the publisher's audit trail, for a principal holding an
 * Owner grant on it, as every /admin control requires. Records that name no publisher (principals,
 * signing keys) are read with `cloudpartner audit`, by whoever holds the store.
 */
export async function auditRoutes(app: FastifyInstance, options: { audit: AuditService }): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/publishers/:publisherId/audit',
    {
      schema: {
        operationId: 'listAuditEvents',
        summary: "Read a publisher's audit trail",
        description:
          'Every change of the publisher and its offers (PUTs with their diff, publish, go-live, cancel, step control, planned failures, grants), oldest first.',
        tags: ['Emulator administration'],
        params: AuditParamsSchema,
        querystring: AuditQuerySchema,
        response: {
          200: AuditEventListSchema,
          400: ErrorBodySchema,
          401: ErrorBodySchema,
          403: ErrorBodySchema,
          404: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const { offerId, principalId, since, until, limit } = request.query
      return options.audit.list(callerOf(request), {
        publisherId: request.params.publisherId,
        ...(offerId === undefined ? {} : { offerId }),
        ...(principalId === undefined ? {} : { principalId }),
        ...(since === undefined ? {} : { since: normalizeTimestamp(since) }),
        ...(until === undefined ? {} : { until: normalizeTimestamp(until) }),
        limit: limit ?? DEFAULT_LIMIT,
      })
    },
  )
}
