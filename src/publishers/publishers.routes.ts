import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ErrorBodySchema } from '../errors/error-body.schema.ts'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { callerOf } from '../http/caller.ts'
import { PublisherListSchema } from './publishers.schema.ts'
import { type PublisherService, toPublisherBody } from './publishers.service.ts'

export async function publisherRoutes(
  app: FastifyInstance,
  options: { publishers: PublisherService },
): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/publishers',
    {
      schema: {
        operationId: 'listPublishers',
        summary: 'List publishers',
        description: 'The publisher namespaces the caller has access to.',
        tags: ['Publishers'],
        querystring: ApiVersionQuerySchema,
        response: { 200: PublisherListSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
    async (request) => (await options.publishers.list(callerOf(request))).map(toPublisherBody),
  )
}
