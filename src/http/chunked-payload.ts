import { Stream } from 'node:stream'

/**
 * Chunks already in memory, answered exactly as a stream of them is (chunked transfer encoding, one
 * chunk on the wire per Buffer), without a Readable: Fastify sends any payload that has `pipe` and
 * `on` (node:stream's legacy `Stream` has both) by piping it into the response, and watches it with
 * `finished()`, which for a legacy stream waits for its `end` event. This one writes its chunks and
 * ends the response in `pipe`, then says so. A Readable over the same Buffers cost a stream, its
 * buffering, pipe's listeners on both sides and a turn of the event loop per answer
 * (docs/performance.md, "Fourth round: the fixed cost of a request").
 */
export class ChunkedPayload extends Stream {
  readonly #chunks: readonly Buffer[]

  constructor(chunks: readonly Buffer[]) {
    super()
    this.#chunks = chunks
  }

  /**
   * Fastify's HEAD routes drain a stream answer with `resume()` (found by that method) and send no
   * body; there is nothing to drain here, the chunks are in memory.
   */
  resume(): this {
    return this
  }

  override pipe<Destination extends NodeJS.WritableStream>(destination: Destination): Destination {
    for (const chunk of this.#chunks) destination.write(chunk)
    destination.end()
    this.emit('end')
    return destination
  }
}
