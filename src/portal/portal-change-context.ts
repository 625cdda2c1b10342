import type { FastifyInstance } from 'fastify'
import { installChangeContext } from '../audit/request-change-context.ts'

/**
 * A portal scope's changes are recorded in the audit trail as the portal's (door `portal`), made
 * by the signed-in viewer: its caller is the request's caller for the change context, as a
 * token's is for the API's.
 */
export function installPortalChangeContext(scope: FastifyInstance): void {
  scope.addHook('preHandler', async (request) => {
    if (request.viewer) request.caller = request.viewer.caller
  })
  installChangeContext(scope, 'portal')
}
