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
