import type { FastifyReply } from 'fastify'

/**
 * One server-sent event stream (text/event-stream) over a reply. The reply is hijacked: Fastify
 * neither sends it nor cuts it at --handler-timeout (a stream is meant to outlive a request), and
 * this module owns the socket until it ends. It ends when the client goes away, when `close` is
 * called (the app closing, the viewer's access gone), or when the client stops reading: a client
 * that leaves more than MAX_BUFFERED_BYTES unread is cut rather than buffered without bound.
 */
export interface EventStream {
  /** Sends one event; `data` may hold several lines (each becomes a `data:` line). */
  send(event: { readonly name: string; readonly data: string; readonly id?: string }): void
  close(): void
  readonly closed: boolean
  /** Called once, however the stream ended. */
  onClose(listener: () => void): void
}

const MAX_BUFFERED_BYTES = 1024 * 1024
/** How long EventSource waits before reconnecting after the stream ended (its default is ~3 s). */
const RETRY_MS = 2000

export function openEventStream(
  reply: FastifyReply,
  options: { readonly heartbeatMs: number; readonly headers?: Readonly<Record<string, string>> },
): EventStream {
  reply.hijack()
  const response = reply.raw
  response.writeHead(200, {
    ...options.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    // Never cached or transformed on the way; nginx buffers responses unless told not to.
    'cache-control': 'no-store, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  })
  const listeners: (() => void)[] = []
  let closed = false

  function end(): void {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    response.removeListener('close', end)
    if (!response.writableEnded) response.end()
    for (const listener of listeners.splice(0)) listener()
  }

  function write(text: string): void {
    if (closed) return
    response.write(text)
    if (response.writableLength > MAX_BUFFERED_BYTES) end()
  }

  // A comment line: proxies see traffic, EventSource ignores it.
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs)
  response.on('close', end)
  write(`retry: ${RETRY_MS}\n\n`)

  return {
    send({ name, data, id }) {
      const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`)
      write(`event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}${lines.join('')}\n`)
    },
    close: end,
    get closed() {
      return closed
    },
    onClose(listener) {
      if (closed) listener()
      else listeners.push(listener)
    },
  }
}
