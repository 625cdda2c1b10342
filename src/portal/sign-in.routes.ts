import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errors } from '../errors/errors.ts'
import { AadError } from '../token-service/aad-error.ts'
import { errorNotice } from './error-page.ts'
import { type Html, html } from './html.ts'
import type { Layout } from './layout.ts'
import { clearSessionCookie, sessionIdOf, setSessionCookie } from './session-cookie.ts'
import { type PortalSessionService, SESSION_HOURS } from './sessions/portal-sessions.service.ts'
import { safeNext } from './viewer.ts'

interface SignInForm {
  tenantId?: string
  clientId?: string
  clientSecret?: string
  next?: string
}

/**
 * Sign-in with a principal's tenant id, client id and client secret, as `cloudpartner principals
 * create` prints them; sign-out. The token endpoint's refusals are shown with its own words (an
 * AADSTS message), its status, and Retry-After when throttled.
 */
export function signInRoutes(
  app: FastifyInstance,
  options: { layout: Layout; sessions: PortalSessionService; prefix: string },
): void {
  const { layout, sessions, prefix } = options

  function form(reply: FastifyReply, values: SignInForm, problem?: Html): Html {
    return html`${problem}
<form class="stacked" method="post" action="${prefix}/sign-in">
  ${layout.csrfField(reply)}
  <input type="hidden" name="next" value="${safeNext(values.next, prefix)}">
  <div>
    <label for="tenant-id">Tenant id</label>
    <input id="tenant-id" name="tenantId" type="text" required autocomplete="username" spellcheck="false"
      value="${values.tenantId ?? ''}" aria-describedby="tenant-id-hint">
    <p class="hint" id="tenant-id-hint">The GUID of the principal's tenant.</p>
  </div>
  <div>
    <label for="client-id">Client id</label>
    <input id="client-id" name="clientId" type="text" required autocomplete="off" spellcheck="false"
      value="${values.clientId ?? ''}">
  </div>
  <div>
    <label for="client-secret">Client secret</label>
    <input id="client-secret" name="clientSecret" type="password" required autocomplete="current-password">
  </div>
  <div><button type="submit">Sign in</button></div>
</form>
<p class="muted">A principal and its secret are created with <code>cloudpartner principals create</code>;
the portal shows exactly the publishers it holds a role on.</p>`
  }

  const signInPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: SignInForm,
    problem?: Html,
    status = 200,
  ) => layout.send(request, reply, { title: 'Sign in', main: form(reply, values, problem) }, status)

  app.get<{ Querystring: { next?: string } }>('/sign-in', async (request, reply) =>
    signInPage(request, reply, { next: request.query.next ?? prefix }),
  )

  app.post<{ Body: SignInForm }>('/sign-in', async (request, reply) => {
    const body = request.body ?? {}
    const values = { tenantId: text(body.tenantId), clientId: text(body.clientId), next: text(body.next) }
    const missing = (['tenantId', 'clientId', 'clientSecret'] as const).filter(
      (name) => text(body[name]) === '',
    )
    if (missing.length > 0) {
      const problem = errors.badRequest('Enter the tenant id, the client id and the client secret.')
      return signInPage(request, reply, values, errorNotice(problem, String(request.id)), 400)
    }
    try {
      const started = await sessions.signIn({
        tenantId: values.tenantId,
        clientId: values.clientId,
        clientSecret: typeof body.clientSecret === 'string' ? body.clientSecret : '',
        address: request.ip,
        host: request.host,
      })
      setSessionCookie(reply, prefix, started.sessionId, SESSION_HOURS * 60 * 60)
      return reply.redirect(safeNext(values.next, prefix), 303)
    } catch (error) {
      if (!(error instanceof AadError)) throw error
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds))
      return signInPage(
        request,
        reply,
        values,
        html`<div class="notice error" role="alert"><h2>${error.statusCode === 429 ? 'Too many attempts' : 'Sign-in refused'}</h2><p>${error.message}</p></div>`,
        error.statusCode,
      )
    }
  })

  app.post('/sign-out', async (request, reply) => {
    const sessionId = sessionIdOf(request)
    if (sessionId !== undefined) await sessions.signOut(sessionId)
    clearSessionCookie(reply, prefix)
    return reply.redirect(`${prefix}/sign-in?next=${encodeURIComponent(prefix)}`, 303)
  })
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}
