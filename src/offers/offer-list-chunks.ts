import { createRequire } from 'node:module'
import type fastJsonStringify from 'fast-json-stringify'
import type { OfferSummary } from './offer.ts'
import { OfferSummarySchema } from './offers.schema.ts'

const require = createRequire(import.meta.url)
let serializeSummary: ((summary: OfferSummary) => string) | undefined

/**
 * Items are serialized one by one with the same schema that documents the list. Compiled by the
 * first list, not at start-up: fast-json-stringify loads Ajv to check the schema (docs/performance.md,
 * "Start-up").
 */
function summarySerializer(): (summary: OfferSummary) => string {
  serializeSummary ??= (require('fast-json-stringify') as typeof fastJsonStringify)(
    OfferSummarySchema as object,
  ) as (summary: OfferSummary) => string
  return serializeSummary
}

/** Items per chunk of a list answer: the chunked encoding on the wire cuts there. */
export const CHUNK_ITEMS = 256

/**
 * The list as JSON text, CHUNK_ITEMS items per chunk: '[' and the first items, then the next
 * items, ..., and ']' with the last ones. These are the chunks, and so the chunked encoding on the
 * wire, that Readable.from over an async generator made; every list answer is cut here, whether
 * read whole, streamed or kept (offer-list-cache.ts).
 */
export class JsonArrayChunks {
  #chunk = '['
  #count = 0
  readonly #serialize = summarySerializer()

  /** Adds an item; answers the chunk it completes, if it completes one. */
  add(item: OfferSummary): Buffer | undefined {
    this.#chunk += (this.#count === 0 ? '' : ',') + this.#serialize(item)
    this.#count += 1
    if (this.#count % CHUNK_ITEMS !== 0) return undefined
    const full = this.#chunk
    this.#chunk = ''
    return Buffer.from(full)
  }

  /** The last chunk. */
  end(): Buffer {
    return Buffer.from(`${this.#chunk}]`)
  }
}

/** A list read whole, in the chunks it is answered in. */
export function chunksOf(items: readonly OfferSummary[]): Buffer[] {
  const chunks = new JsonArrayChunks()
  const out: Buffer[] = []
  for (const item of items) {
    const full = chunks.add(item)
    if (full !== undefined) out.push(full)
  }
  out.push(chunks.end())
  return out
}
