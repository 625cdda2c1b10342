import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'

/** A span as OTLP/JSON carries it (ids in hex), with its attributes flattened. */
export interface ReceivedSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly traceState?: string
  readonly name: string
  readonly kind: number
  readonly attributes: Readonly<Record<string, unknown>>
  readonly serviceName: unknown
}

/**
 * An OTLP/HTTP collector in the test process: it takes every export, answers 200 as a collector
 * does, and keeps the spans of JSON exports and the raw bodies of every export.
 */
export async function startOtlpReceiver(t: TestContext): Promise<{
  readonly url: string
  readonly spans: ReceivedSpan[]
  readonly requests: { path: string; contentType: string; bytes: number }[]
}> {
  const spans: ReceivedSpan[] = []
  const requests: { path: string; contentType: string; bytes: number }[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const contentType = String(request.headers['content-type'])
      requests.push({ path: String(request.url), contentType, bytes: body.length })
      if (contentType.startsWith('application/json'))
        spans.push(...spansOf(JSON.parse(body.toString('utf8'))))
      response
        .writeHead(200, { 'content-type': contentType })
        .end(contentType.startsWith('application/json') ? '{}' : '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, requests }
}

interface KeyValue {
  key: string
  value: Record<string, unknown>
}

function spansOf(body: {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] }
    scopeSpans?: {
      spans?: (Omit<ReceivedSpan, 'attributes' | 'serviceName'> & { attributes?: KeyValue[] })[]
    }[]
  }[]
}): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resource) => {
    const serviceName = flatten(resource.resource?.attributes)['service.name']
    return (resource.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({ ...span, attributes: flatten(span.attributes), serviceName })),
    )
  })
}

function flatten(attributes: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]))
}
