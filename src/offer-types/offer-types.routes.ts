import type { FastifyInstance } from 'fastify'
import { ErrorBodySchema } from '../errors/error-body.schema.ts'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { OfferTypeListSchema } from './offer-types.schema.ts'
import { OFFER_TYPES } from './offer-types.ts'

export async function offerTypeRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/offerTypes',
    {
      schema: {
        operationId: 'listOfferTypes',
        summary: 'List offer types',
        description:
          'The offer types the service supports. The reference names this call but publishes no shape.',
        tags: ['Offer types'],
        querystring: ApiVersionQuerySchema,
        response: { 200: OfferTypeListSchema, 400: ErrorBodySchema, 401: ErrorBodySchema },
      },
    },
    async () => OFFER_TYPES,
  )
}
