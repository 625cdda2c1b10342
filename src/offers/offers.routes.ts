import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { type Config, limitHint } from '../config.ts'
import { commonErrorResponses, ErrorBodySchema } from '../errors/error-body.schema.ts'
import { errors } from '../errors/errors.ts'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { callerOf } from '../http/caller.ts'
import { ChunkedPayload } from '../http/chunked-payload.ts'
import { typeBoxValidatorCompiler } from '../http/typebox-validator-compiler.ts'
import type { OfferSummary } from './offer.ts'
import { CHUNK_ITEMS, chunksOf, JsonArrayChunks } from './offer-list-chunks.ts'
import { type OfferListAnswer, type OfferReadModel, parseSlot } from './offer-read-model.ts'
import type { OfferView } from './offer-response.ts'
import {
  OfferDocumentSchema,
  OfferListQuerySchema,
  OfferParamsSchema,
  OfferSchema,
  OfferSlotParamsSchema,
  OfferSummaryListSchema,
  OfferVersionParamsSchema,
  PublisherParamsSchema,
  PutOfferHeadersSchema,
} from './offers.schema.ts'
import type { OfferService } from './offers.service.ts'

/**
 * Offers are answered with JSON.stringify over an object built in the service's field order
 * (offer-response.ts): fast-json-stringify would move optional envelope fields after the required
 * ones. The response schemas still document the answer.
 */
const asJson = () => (data: unknown) => JSON.stringify(data)

/**
 * A PUT body is checked by offer-input.ts, against the offer type (which, for an update, is the stored
 * offer's), and never coerced: Fastify's Ajv coerces types, which would silently rewrite a client's
 * definition ("false" into false, a lone value into an array). The other parts are checked by TypeBox.
 */
const bodyUnchecked: FastifySchemaCompiler<TSchema> = (route) =>
  route.httpPart === 'body' ? (value: unknown) => ({ value }) : typeBoxValidatorCompiler(route)

export async function offerRoutes(
  app: FastifyInstance,
  options: {
    reads: OfferReadModel
    offers: OfferService
    createdStatus: Config['putCreateStatus']
    maxPlans: Config['maxPlans']
  },
): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const { reads, offers } = options
  const send = (reply: FastifyReply, view: OfferView, status = 200) =>
    reply.code(status).header('etag', view.etag).type('application/json; charset=utf-8').send(view.body)

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
      const answer = await reads.listOffers(
        callerOf(request),
        request.params.publisherId,
        request.query.$filter,
        CHUNK_ITEMS,
      )
      // Streamed in chunks: a namespace of any size is answered in bounded memory. The stream is
      // already JSON, serialized item by item with the schema above, so it bypasses the typed reply.
      const raw: FastifyReply = reply
      return raw.type('application/json; charset=utf-8').send(listBody(answer))
    },
  )

  api.get(
    '/publishers/:publisherId/offers/:offerId',
    {
      schema: {
        operationId: 'getOffer',
        summary: 'Retrieve a specific offer',
        description: 'The draft of an offer, with its ETag. Secret-typed values are never returned.',
        tags: ['Offers'],
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OfferSchema, ...commonErrorResponses },
      },
      serializerCompiler: asJson,
    },
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      return send(reply, await reads.getOffer(callerOf(request), publisherId, offerId))
    },
  )

  api.get(
    '/publishers/:publisherId/offers/:offerId/versions/:version',
    {
      schema: {
        operationId: 'getOfferVersion',
        summary: 'Retrieve a specific version of an offer',
        description:
          'The draft when version is the one being edited, else the version as it was published; 404 for a version that does not exist. The ETag is the draft’s.',
        tags: ['Offers'],
        params: OfferVersionParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OfferSchema, ...commonErrorResponses },
      },
      serializerCompiler: asJson,
      preValidation: integerVersionOnly,
    },
    async (request, reply) => {
      const { publisherId, offerId, version } = request.params
      return send(reply, await reads.getVersion(callerOf(request), publisherId, offerId, version))
    },
  )

  api.get(
    '/publishers/:publisherId/offers/:offerId/slot/:slotId',
    {
      schema: {
        operationId: 'getOfferSlot',
        summary: 'Retrieve the offer in a slot',
        description:
          'Draft, Preview or Production (any case); 404 for a slot the offer never reached. The ETag is the draft’s.',
        tags: ['Offers'],
        params: OfferSlotParamsSchema,
        querystring: ApiVersionQuerySchema,
        response: { 200: OfferSchema, ...commonErrorResponses },
      },
      serializerCompiler: asJson,
    },
    async (request, reply) => {
      const { publisherId, offerId, slotId } = request.params
      const slot = parseSlot(slotId)
      return send(reply, await reads.getSlot(callerOf(request), publisherId, offerId, slot))
    },
  )

  api.put(
    '/publishers/:publisherId/offers/:offerId',
    {
      schema: {
        operationId: 'putOffer',
        summary: 'Create or modify an offer',
        description:
          'Creates the offer, or replaces its draft. If-Match: none creates or replaces (409 InvalidResourceId if the offer exists, with --no-loose-if-match), * replaces whatever is stored, an ETag replaces only that version (412 otherwise); If-None-Match: * only creates. Malformed documents are refused with every offending field named; incomplete ones are kept as drafts and fail at publish.',
        tags: ['Offers'],
        params: OfferParamsSchema,
        querystring: ApiVersionQuerySchema,
        headers: PutOfferHeadersSchema,
        body: OfferDocumentSchema,
        response: {
          200: OfferSchema,
          201: OfferSchema,
          ...commonErrorResponses,
          409: ErrorBodySchema,
          412: ErrorBodySchema,
        },
      },
      validatorCompiler: bodyUnchecked,
      serializerCompiler: asJson,
    },
    async (request, reply) => {
      checkPlanCount(request.body, options.maxPlans)
      const { view, created } = await offers.putOffer(callerOf(request), request.params, request.body, {
        ifMatch: request.headers['if-match'],
        ifNoneMatch: request.headers['if-none-match'],
      })
      return send(reply, view, created ? options.createdStatus : 200)
    },
  )
}

/** A list answer read from the store (not kept): the items, and how to keep what was sent. */
type ListedAnswer = Extract<OfferListAnswer, { keep: unknown }>

/** The chunks as kept, a list read whole, or a stream: the same chunks on the wire either way. */
function listBody(answer: OfferListAnswer): ChunkedPayload | Readable {
  if ('chunks' in answer) return new ChunkedPayload(answer.chunks)
  const { items } = answer
  return isWhole(items) ? new ChunkedPayload(keptChunksOf(items, answer)) : jsonArrayStream(items, answer)
}

function isWhole(
  items: readonly OfferSummary[] | AsyncIterable<OfferSummary>,
): items is readonly OfferSummary[] {
  return Array.isArray(items)
}

/** A list read whole, cut into its chunks, which the read model keeps when they fit. */
function keptChunksOf(items: readonly OfferSummary[], answer: ListedAnswer): Buffer[] {
  const chunks = chunksOf(items)
  if (chunks.reduce((bytes, chunk) => bytes + chunk.length, 0) <= answer.keepUpTo) answer.keep(chunks)
  return chunks
}

/**
 * A list as it is read: pulling the items in a plain loop costs a fraction of what an async
 * generator under Readable.from did per item (docs/performance.md). Reading stops while the client
 * is slow (push answers false), so a namespace of any size streams in bounded memory.
 */
function jsonArrayStream(items: AsyncIterable<OfferSummary>, answer: ListedAnswer): Readable {
  const iterator = items[Symbol.asyncIterator]()
  const chunks = new JsonArrayChunks()
  // The chunks sent, while they fit in what the list cache keeps; then the answer is kept.
  let sent: Buffer[] | undefined = []
  let sentBytes = 0
  const sending = (chunk: Buffer): Buffer => {
    if (sent === undefined) return chunk
    sentBytes += chunk.length
    if (sentBytes > answer.keepUpTo || !mayFit(sentBytes, sent.length === 0)) sent = undefined
    else sent.push(chunk)
    return chunk
  }
  // Chunks held for the whole stream outlive the young generation: their memory, outside V8's heap,
  // then waits for a full collection. Collecting every 10,000-offer list (2.4 MB) that could never
  // be kept took the server from 149 to 250 MB over 100 lists (docs/performance.md). So the first
  // chunk, at its size per item, must leave room for all the items the namespace could hold.
  const mayFit = (bytes: number, first: boolean) =>
    !first || (bytes / CHUNK_ITEMS) * answer.atMostItems <= answer.keepUpTo
  let pulling = false
  const pull = async (): Promise<void> => {
    try {
      if (stream.destroyed) return
      for (;;) {
        const next = await iterator.next()
        if (stream.destroyed) return
        if (next.done) {
          stream.push(sending(chunks.end()))
          stream.push(null)
          if (sent !== undefined) answer.keep(sent)
          return
        }
        const full = chunks.add(next.value)
        if (full !== undefined && !stream.push(sending(full))) return
      }
    } catch (error) {
      stream.destroy(error as Error)
    } finally {
      pulling = false
    }
  }
  const stream: Readable = new Readable({
    objectMode: true,
    // One chunk read ahead is enough to keep the socket busy; Readable.from's 16 held up to 1 MB
    // per answer, 50 MB for 50 clients listing a large namespace at once.
    highWaterMark: 1,
    read() {
      if (pulling) return
      pulling = true
      // Each chunk is read in a turn of its own. Started from the handler, the pulls of every list
      // answered in one turn (requests that share a revision read, turn-shared-reads.ts) would
      // interleave row by row on the microtask queue: 50 lists of 10,000 offers half-built at once
      // outlived the young generation, and took the server from 150 to 330 MB at half the
      // throughput. Node runs an immediate's microtasks before the next immediate, so one list
      // builds its chunk, the next one then.
      setImmediate(pull)
    },
    // A client that goes away ends the query early, as Readable.from's destroy did.
    destroy(error, callback) {
      Promise.resolve(iterator.return?.()).then(
        () => callback(error),
        (returnError: Error) => callback(error ?? returnError),
      )
    },
  })
  return stream
}

/**
 * Plans are the unit the offer type's rules check one by one: a body is refused on their number
 * before any of them is checked (150,000 plans took 2.1 s of validation, blocking every request).
 */
function checkPlanCount(body: unknown, maxPlans: number): void {
  const plans = (body as { definition?: { plans?: unknown } } | undefined)?.definition?.plans
  if (Array.isArray(plans) && plans.length > maxPlans) {
    throw errors.limitExceeded(
      400,
      `The offer has ${plans.length} plans; at most ${maxPlans} are accepted ${limitHint('maxPlans')}.`,
    )
  }
}

/**
 * The version as written: Ajv's coercion reads ` 1`, `+1`, `1.0` and `1e0` as 1, so `/versions/%201`
 * answered version 1. Checked before validation, while the parameter is still the path's text.
 */
function integerVersionOnly(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const { version } = request.params as { version: string }
  if (/^-?\d+$/.test(version)) done()
  else done(errors.badRequest(`params.version: '${version}' is not an integer.`))
}
