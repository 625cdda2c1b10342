import { type IncomingMessage, request } from 'node:http'

/** One item of a text/event-stream, as EventSource parses it; comments (heartbeats) included. */
export type StreamItem =
  | { readonly kind: 'event'; readonly name: string; readonly data: string; readonly id?: string }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'retry'; readonly ms: number }
  | { readonly kind: 'end' }

export interface EventStreamClient {
  readonly status: number
  readonly headers: IncomingMessage['headers']
  /** The body of an answer that was not a stream (an error page). */
  readonly body: string
  /** The next item; `end` once the server ended the stream. */
  next(): Promise<StreamItem>
  /** The next event named `name`, skipping everything else; rejects if the stream ends first. */
  nextEvent(name: string): Promise<Extract<StreamItem, { kind: 'event' }>>
  /** Goes away as a browser tab that is closed: the socket is destroyed. */
  close(): void
}

/** GETs `url` as EventSource would, and parses the stream item by item (WHATWG's rules, simplified). */
export function openEventStreamClient(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const items: StreamItem[] = []
      const waiting: ((item: StreamItem) => void)[] = []
      const push = (item: StreamItem) => {
        const resolveNext = waiting.shift()
        if (resolveNext) resolveNext(item)
        else items.push(item)
      }
      const streaming = String(response.headers['content-type']).startsWith('text/event-stream')
      let buffer = ''
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        if (!streaming) {
          body += chunk
          return
        }
        buffer += chunk
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          push(parseBlock(block))
        }
      })
      const ended = () => push({ kind: 'end' })
      response.on('end', ended)
      response.on('error', ended)
      response.on('close', ended)
      const next = () => {
        const item = items.shift()
        return item
          ? Promise.resolve(item)
          : new Promise<StreamItem>((resolveItem) => waiting.push(resolveItem))
      }
      const client: EventStreamClient = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        get body() {
          return body
        },
        next,
        async nextEvent(name) {
          for (;;) {
            const item = await next()
            if (item.kind === 'end') throw new Error(`the stream ended before a '${name}' event`)
            if (item.kind === 'event' && item.name === name) return item
          }
        },
        close: () => outgoing.destroy(),
      }
      if (streaming) resolve(client)
      else response.on('end', () => resolve(client))
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

function parseBlock(block: string): StreamItem {
  const lines = block.split('\n')
  if (lines.every((line) => line.startsWith(':')))
    return { kind: 'comment', text: lines.join('\n').slice(1).trim() }
  const retry = lines.find((line) => line.startsWith('retry:'))
  if (retry && lines.length === 1) return { kind: 'retry', ms: Number(retry.slice(6)) }
  let name = 'message'
  let id: string | undefined
  const data: string[] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    const field = line.slice(0, colon)
    const value = line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') name = value
    else if (field === 'id') id = value
    else if (field === 'data') data.push(value)
  }
  return { kind: 'event', name, data: data.join('\n'), ...(id === undefined ? {} : { id }) }
}
