import type { FastifyInstance } from 'fastify'
import { CORRELATION_HEADER } from '../http/request-ids.ts'
import type { AuditDoor } from './audit-event.ts'
import { withChangeContext } from './change-context.ts'

/**
 * Runs the handlers of a scope's writing requests (not GET or HEAD) in the change context of the
 * request: its caller, request id and correlation id, and the door. A preHandler hook, so that it
 * runs after authentication and after the body was read (reading a body would leave the context),
 * and a callback hook whose `done` calls the handler inside the context, as @fastify/request-context
 * does. Reads pay one comparison.
 */
export function installChangeContext(
  scope: FastifyInstance,
  door: Extract<AuditDoor, 'api' | 'admin-api' | 'portal'>,
): void {
  scope.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      done()
      return
    }
    const correlationId = reply.getHeader(CORRELATION_HEADER)
    withChangeContext(
      {
        door,
        ...(request.caller === undefined ? {} : { caller: request.caller }),
        requestId: String(request.id),
        ...(typeof correlationId === 'string' ? { correlationId } : {}),
      },
      done,
    )
  })
}
