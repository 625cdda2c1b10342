import { connect } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Where a listening app is, for raw sockets. */
export function portOf(app: FastifyInstance): number {
  return (app.server.address() as { port: number }).port
}

/**
 * Sends bytes on a fresh connection exactly as given (no client library would send most of what
 * the protocol tests send), then `trickle` one byte every `trickleMs` while the connection is open,
 * and reads until the server closes or one answer is complete.
 */
export function rawRequest(
  port: number,
  bytes: string | Buffer,
  options: { trickleMs?: number; waitMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let trickle: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${options.waitMs ?? 15_000} ms`))
    }, options.waitMs ?? 15_000)
    const finish = () => {
      clearTimeout(timer)
      clearInterval(trickle)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...headerLines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    }
    socket.on('connect', () => {
      socket.write(bytes)
      if (options.trickleMs !== undefined) {
        trickle = setInterval(() => {
          if (!socket.destroyed) socket.write('x')
        }, options.trickleMs)
      }
    })
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      const text = Buffer.concat(chunks).toString('utf8')
      const end = text.indexOf('\r\n\r\n')
      const length = /content-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1]
      if (end !== -1 && length !== undefined && Buffer.byteLength(text) >= end + 4 + Number(length)) finish()
    })
    socket.on('close', finish)
    socket.on('error', () => undefined)
  })
}

/**
 * Requests that reach their servers at the same moment: each is sent on a connection of its own
 * but for its last byte; once every server has had time to read what came, the last bytes go out
 * together, so that the servers take up all the requests at once (a race whose outcome does not
 * depend on how fast a client sends one request after another). Answers in the requests' order.
 */
export async function sendTogether(
  requests: readonly { readonly port: number; readonly bytes: Buffer }[],
  options: { settleMs?: number; waitMs?: number } = {},
): Promise<RawAnswer[]> {
  const sockets = await Promise.all(
    requests.map(
      ({ port }) =>
        new Promise<ReturnType<typeof connect>>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket))
          socket.once('error', reject)
        }),
    ),
  )
  const answers = sockets.map((socket) => readAnswer(socket, options.waitMs ?? 15_000))
  for (const [index, socket] of sockets.entries()) {
    const { bytes } = requests[index] as { bytes: Buffer }
    socket.write(bytes.subarray(0, -1))
  }
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 200))
  for (const [index, socket] of sockets.entries()) {
    socket.write((requests[index] as { bytes: Buffer }).bytes.subarray(-1))
  }
  return Promise.all(answers)
}

/** One HTTP/1.1 answer with a Content-Length, read from the socket, which is then closed. */
function readAnswer(socket: ReturnType<typeof connect>, waitMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${waitMs} ms`))
    }, waitMs)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      const all = Buffer.concat(chunks)
      const end = all.indexOf('\r\n\r\n')
      if (end === -1) return
      const head = all.subarray(0, end).toString('latin1')
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
      if (all.length < end + 4 + length) return
      clearTimeout(timer)
      socket.destroy()
      const [statusLine = '', ...headerLines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: all.subarray(end + 4, end + 4 + length).toString('utf8'),
      })
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}
