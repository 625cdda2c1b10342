import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import fastJsonStringify from 'fast-json-stringify'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { commonErrorResponses } from '../errors/error-body.schema.ts'
import { callerOf } from '../http/caller.ts'
import type { OfferSummary } from './offer.ts'
import {
  OfferListQuerySchema,
  OfferSummaryListSchema,
  OfferSummarySchema,
  PublisherParamsSchema,
} from './offers.schema.ts'
import type { OfferService } from './offers.service.ts'

/** Items are serialized one by one with the same schema that documents the list. */
const serializeSummary = fastJsonStringify(OfferSummarySchema as object) as (summary: OfferSummary) => string
const CHUNK_ITEMS = 256

export async function offerRoutes(app: FastifyInstance, options: { offers: OfferService }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(
    '/publishers/:publisherId/offers',
    {
      schema: {
        operationId: 'listOffers',
        summary: 'Retrieve offers',
        description: 'A summarized list of the offers in a publisher namespace.',
        tags: ['Offers'],
        params: PublisherParamsSchema,
        querystring: OfferListQuerySchema,
        response: { 200: OfferSummaryListSchema, ...commonErrorResponses },
      },
    },
    async (request, reply) => {
      const summaries = await options.offers.listOffers(
        callerOf(request),
        request.params.publisherId,
        request.query.$filter,
      )
      // Streamed in chunks: a namespace of any size is answered in bounded memory. The stream is
      // already JSON, serialized item by item with the schema above, so it bypasses the typed reply.
      const raw: FastifyReply = reply
      return raw.type('application/json; charset=utf-8').send(Readable.from(jsonArray(summaries)))
    },
  )
}

async function* jsonArray(items: AsyncIterable<OfferSummary>): AsyncIterable<string> {
  let chunk = '['
  let count = 0
  for await (const item of items) {
    chunk += (count === 0 ? '' : ',') + serializeSummary(item)
    count += 1
    if (count % CHUNK_ITEMS === 0) {
      yield chunk
      chunk = ''
    }
  }
  yield `${chunk}]`
}
