import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import type { Runtime } from '../../../src/sdk/index.ts'

export interface ScriptedAnswer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: unknown
}

export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/**
 * A tiny HTTP server on loopback that answers each request with the next scripted answer for its
 * path (the last one repeats), and records what it was sent.
 */
export async function scriptedServer(
  t: TestContext,
  script: Record<string, readonly ScriptedAnswer[]>,
): Promise<{ url: string; requests: SeenRequest[]; count(path: string): number }> {
  const requests: SeenRequest[] = []
  const served = new Map<string, number>()
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0] as string
      requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body })
      const answers = script[path]
      if (!answers || answers.length === 0) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"code":"NotFound","message":"unscripted"}}')
        return
      }
      const index = served.get(path) ?? 0
      served.set(path, index + 1)
      const answer = answers[Math.min(index, answers.length - 1)] as ScriptedAnswer
      const text =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body)
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.filter((request) => request.path === path).length,
  }
}

/** A runtime whose clock moves only when told to, and whose sleeps pass at once and are recorded. */
export function fakeRuntime(start = Date.parse('2026-11-21T10:00:00Z')): Runtime & {
  readonly sleeps: number[]
  advance(ms: number): void
} {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    random: () => 0.5,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      sleeps.push(ms)
      now += ms
    },
  }
}

/** The answer of a token endpoint. */
export function tokenAnswer(token: string, expiresIn = 3600): ScriptedAnswer {
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  }
}
