import { Socket } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { errors } from '../errors/errors.ts'

/**
 * The two bounds on an answer (docs/limits-and-protection.md, "Timeouts"):
 *
 * - --handler-timeout bounds the server's own work on a request, from its arrival until its answer
 *   starts: an answer not started by then is 503, in the envelope (a page in the portal). Not
 *   Fastify's `handlerTimeout`, whose timer runs until the last byte is written: it cut a list
 *   still streaming to a slow reader.
 * - Once the answer has started, its reader sets the pace, but a connection on which the client
 *   reads nothing for the keep-alive timeout is closed, as an idle connection between requests is.
 *   A namespace streamed from PostgreSQL holds a pooled connection until it is sent: a client that
 *   stops reading must not hold it for ever.
 */
export function installAnswerTimeouts(
  app: FastifyInstance,
  options: Pick<Config, 'handlerTimeoutMs' | 'keepAliveTimeoutMs'>,
): void {
  const { handlerTimeoutMs, keepAliveTimeoutMs } = options
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>()
  const stop = (request: FastifyRequest) => {
    clearTimeout(timers.get(request))
    timers.delete(request)
  }
  app.addHook('onRequest', (request, reply, done) => {
    const timer = setTimeout(() => {
      timers.delete(request)
      if (reply.sent || reply.raw.headersSent) return
      // Through the error handler of the request's context: the API's envelope, the portal's page.
      reply.send(errors.handlerTimeout(handlerTimeoutMs))
    }, handlerTimeoutMs)
    timers.set(request, timer)
    // The connection gone before the answer started: nothing left to time.
    reply.raw.once('close', () => stop(request))
    done()
  })
  // Runs once per answer, just before its headers are written, whether its body is a buffer or a stream.
  app.addHook('onSend', (request, _reply, payload, done) => {
    stop(request)
    // Node's server destroys a connection whose timeout passes with nobody listening for it; once
    // the answer is sent, Node sets the keep-alive timeout on the connection itself. (Only a real
    // connection has a timer: inject()'s has none.)
    const { socket } = request.raw
    if (socket instanceof Socket) socket.setTimeout(keepAliveTimeoutMs)
    done(null, payload)
  })
}
