import type { FastifyInstance, FastifyRequest } from 'fastify'
import { clearSessionCookie, sessionIdOf } from './session-cookie.ts'
import type { PortalSessionService, PortalViewer } from './sessions/portal-sessions.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who looks at the portal: set by the portal's onRequest hook, absent when nobody is signed in. */
    viewer?: PortalViewer
  }
}

/**
 * Every portal request is looked up first: its session cookie, or in development mode (which
 * binds loopback only) the development principal. A cookie that names no live session is cleared.
 */
export function installViewer(
  app: FastifyInstance,
  options: { sessions: PortalSessionService; prefix: string },
) {
  app.addHook('onRequest', async (request, reply) => {
    const sessionId = sessionIdOf(request)
    const viewer = sessionId === undefined ? undefined : await options.sessions.resume(sessionId)
    if (sessionId !== undefined && viewer === undefined) clearSessionCookie(reply, options.prefix)
    const found = viewer ?? (await options.sessions.developmentViewer())
    if (!found) return
    request.viewer = found
    // The caller the API's hooks set: the audit trail's change context reads it (portal.routes.ts).
    request.caller = found.caller
  })
}

/**
 * For the pages that need someone signed in: the sign-in page, coming back here afterwards. An
 * htmx request is told through HX-Redirect, which htmx follows with a full page load.
 */
export function requireViewer(app: FastifyInstance, prefix: string): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.viewer) return
    const target = `${prefix}/sign-in?next=${encodeURIComponent(request.url)}`
    if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', target).code(204).send()
    return reply.redirect(target, 303)
  })
}

export function viewerOf(request: FastifyRequest): PortalViewer {
  if (!request.viewer) throw new Error('a signed-in page ran without requireViewer')
  return request.viewer
}

/** A value of `next` that stays inside the portal: never another site (`//evil`, `https:`). */
export function safeNext(next: unknown, prefix: string): string {
  if (typeof next !== 'string' || !next.startsWith(`${prefix}/`) || next.startsWith('//')) return prefix
  if (/[\\\r\n]/.test(next)) return prefix
  return next
}
