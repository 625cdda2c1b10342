import type { IncomingMessage } from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify'
import { errors } from '../errors/errors.ts'
import { type JsonLimitBreach, JsonLimitScanner, type JsonLimits } from './json-limits.ts'

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;.*)?$/i

/**
 * Request bodies of the API are JSON, whatever they are labelled.
 *
 * Real clients send `Content-Type: application/json` on every call, including GETs and body-less
 * POSTs (go-live, cancel): an empty body is no body, not a parse error. Others label JSON as
 * something else: `curl -d @offer.json` sends `application/x-www-form-urlencoded`, some scripts
 * `text/plain` or nothing at all. By default such a body is read as JSON when it is JSON, and answered
 * 415 naming its content type when it is not (never parsed as a form, which only led to misleading
 * validation errors). `strictContentType` answers 415 to any body not labelled JSON
 * (docs/compatibility.md C16).
 *
 * Every body is measured against the JSON limits (json-limits.ts) chunk by chunk as it arrives, and
 * parsed only once it has arrived whole within them.
 */
export function installJsonBodyParser(
  app: FastifyInstance,
  options: { strictContentType: boolean } & JsonLimits,
): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(JSON_MEDIA_TYPE, async (request: FastifyRequest, payload: IncomingMessage) => {
    const text = await readBody(request, payload, options)
    if (text === undefined) return undefined
    try {
      return JSON.parse(text)
    } catch (error) {
      throw errors.badRequest(`The request body is not valid JSON: ${(error as Error).message}`)
    }
  })
  // Any other content type, or none (Fastify asks the catch-all parser then too).
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: IncomingMessage) => {
    const contentType = request.headers['content-type']
    const text = await readBody(request, payload, options, () =>
      options.strictContentType ? errors.unsupportedMediaType(contentType) : undefined,
    )
    if (text === undefined) return undefined
    try {
      return JSON.parse(text)
    } catch {
      throw errors.unsupportedMediaType(contentType)
    }
  })
}

/**
 * The body's text, or undefined for an empty body. Refused as Fastify refuses bodies (the route's
 * body limit, from Content-Length before reading and from the bytes as they arrive; a length that
 * does not match), and beyond a JSON limit. `refuse` may refuse a body that is not empty.
 */
function readBody(
  request: FastifyRequest,
  payload: IncomingMessage,
  limits: JsonLimits,
  refuse: () => Error | undefined = () => undefined,
): Promise<string | undefined> {
  const limit = request.routeOptions.bodyLimit
  const declared = Number(request.headers['content-length'])
  if (declared > limit) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
  return new Promise((resolve, reject) => {
    const scanner = new JsonLimitScanner(limits)
    // Each chunk decoded as it arrives, into a string small enough for the young generation; the
    // text is put together once, by JSON.parse. (Concatenating the chunks' buffers first was one
    // more copy of the body, made in one block of the event loop.)
    const decoder = new StringDecoder('utf8')
    const parts: string[] = []
    let received = 0
    const stop = () => {
      payload.removeListener('data', onData)
      payload.removeListener('end', onEnd)
      payload.removeListener('error', onError)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > limit) {
        stop()
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
        return
      }
      // Past a limit the rest of the body is only drained (answering while the client still sends
      // would reset its connection before it reads the answer), neither scanned nor kept.
      if (scanner.breach === undefined && scanner.write(chunk) === undefined) parts.push(decoder.write(chunk))
    }
    const onEnd = () => {
      stop()
      if (!Number.isNaN(declared) && received !== declared) {
        reject(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH())
        return
      }
      if (scanner.empty) {
        resolve(undefined)
        return
      }
      const refused = refuse() ?? refusal(scanner.breach)
      if (refused) reject(refused)
      else resolve(parts.join('') + decoder.end())
    }
    const onError = (error: Error & { statusCode?: number }) => {
      stop()
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400
      reject(error)
    }
    payload.on('data', onData)
    payload.on('end', onEnd)
    payload.on('error', onError)
    payload.resume()
  })
}

function refusal(breach: JsonLimitBreach | undefined): Error | undefined {
  return breach && errors.limitExceeded(breach.status, breach.message)
}
