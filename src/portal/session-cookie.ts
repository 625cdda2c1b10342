import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The cookie that carries a portal session's id. HttpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), Secure when the request came over HTTPS (`'auto'`: a plain
 * HTTP loopback server would otherwise never get it back), scoped to /portal, and expiring with
 * the session. The `__Host-` prefix would need Secure always, so it is not used.
 */
export const SESSION_COOKIE = 'cloudpartner_portal_session'

export function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE]
  return value === undefined || value === '' ? undefined : value
}

/**
 * Max-Age rather than Expires: the browser counts from when it got the cookie, so a browser whose
 * clock differs from the server's still keeps it exactly as long as the session lasts.
 */
export function setSessionCookie(
  reply: FastifyReply,
  prefix: string,
  sessionId: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: prefix,
    httpOnly: true,
    sameSite: 'strict',
    secure: 'auto',
    maxAge: maxAgeSeconds,
  })
}

export function clearSessionCookie(reply: FastifyReply, prefix: string): void {
  reply.clearCookie(SESSION_COOKIE, { path: prefix, httpOnly: true, sameSite: 'strict', secure: 'auto' })
}
