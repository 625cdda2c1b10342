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
  clientAssertion?: string
  /** Which credential the form asks for: `certificate` (a client assertion), else the secret. */
  with?: string
  next?: string
}

type Method = 'secret' | 'certificate'

const methodOf = (value: unknown): Method => (value === 'certificate' ? 'certificate' : 'secret')

/**
 * Sign-in with a principal's tenant id, client id and client secret, as `cloudpartner principals
 * create` prints them, or with a client assertion signed by one of its certificates' private key
 * (`cloudpartner principals assertion` makes one); sign-out. The token endpoint's refusals are
 * shown with its own words (an AADSTS message), its status, and Retry-After when throttled.
 */
export function signInRoutes(
  app: FastifyInstance,
  options: { layout: Layout; sessions: PortalSessionService; prefix: string },
): void {
  const { layout, sessions, prefix } = options

  function form(request: FastifyRequest, reply: FastifyReply, values: SignInForm, problem?: Html): Html {
    const method = methodOf(values.with)
    const next = safeNext(values.next, prefix)
    const other = method === 'secret' ? 'certificate' : 'secret'
    const switchTo = `${prefix}/sign-in?${new URLSearchParams({ ...(other === 'certificate' ? { with: other } : {}), next })}`
    return html`${problem}
<form class="stacked" method="post" action="${prefix}/sign-in">
  ${layout.csrfField(reply)}
  <input type="hidden" name="next" value="${next}">
  <input type="hidden" name="with" value="${method}">
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
  ${method === 'secret' ? secretField() : assertionField(request, values)}
  <div><button type="submit">Sign in</button></div>
</form>
<p><a href="${switchTo}">${method === 'secret' ? 'Sign in with a certificate instead' : 'Sign in with a client secret instead'}</a></p>
<p class="muted">A principal and its secret are created with <code>cloudpartner principals create</code>
(<code>--certificate</code> registers a certificate); the portal shows exactly the publishers it holds a role on.</p>`
  }

  const secretField = () => html`<div>
    <label for="client-secret">Client secret</label>
    <input id="client-secret" name="clientSecret" type="password" required autocomplete="current-password">
  </div>`

  // The audience the token service accepts: this server's token endpoint for the tenant, at the
  // host the browser used (client-assertion.ts), so the hint names it for this very server.
  const assertionField = (request: FastifyRequest, values: SignInForm) => {
    const origin = `${request.protocol}://${request.host}`
    return html`<div>
    <label for="client-assertion">Client assertion</label>
    <textarea id="client-assertion" name="clientAssertion" rows="6" required autocomplete="off" spellcheck="false"
      aria-describedby="client-assertion-hint"></textarea>
    <div class="hint" id="client-assertion-hint">
      <p>A JWT signed with the private key of one of the principal's certificates, as Azure AD's
      <code>client_assertion</code>, for this server's token endpoint
      (<code>${origin}/${values.tenantId || '<tenant id>'}/oauth2/v2.0/token</code>). It signs in once, within ten minutes:</p>
      <pre class="command">cloudpartner principals assertion \\
  --key key.pem --certificate cert.pem \\
  --tenant ${values.tenantId || '<tenant id>'} \\
  --client-id ${values.clientId || '<client id>'} \\
  --endpoint ${origin}</pre>
    </div>
  </div>`
  }

  const signInPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: SignInForm,
    problem?: Html,
    status = 200,
  ) => layout.send(request, reply, { title: 'Sign in', main: form(request, reply, values, problem) }, status)

  app.get<{ Querystring: { next?: string; with?: string } }>('/sign-in', async (request, reply) =>
    signInPage(request, reply, { next: request.query.next ?? prefix, with: methodOf(request.query.with) }),
  )

  app.post<{ Body: SignInForm }>('/sign-in', async (request, reply) => {
    const body = request.body ?? {}
    const method = methodOf(body.with)
    const values = {
      tenantId: text(body.tenantId),
      clientId: text(body.clientId),
      next: text(body.next),
      with: method,
    }
    const proof = method === 'secret' ? 'clientSecret' : 'clientAssertion'
    const missing = (['tenantId', 'clientId', proof] as const).filter((name) => text(body[name]) === '')
    if (missing.length > 0) {
      const problem = errors.badRequest(
        `Enter the tenant id, the client id and ${method === 'secret' ? 'the client secret' : 'a client assertion'}.`,
      )
      return signInPage(request, reply, values, errorNotice(problem, String(request.id)), 400)
    }
    try {
      const started = await sessions.signIn({
        tenantId: values.tenantId,
        clientId: values.clientId,
        credential:
          method === 'secret'
            ? { clientSecret: typeof body.clientSecret === 'string' ? body.clientSecret : '' }
            : { clientAssertion: text(body.clientAssertion) },
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
