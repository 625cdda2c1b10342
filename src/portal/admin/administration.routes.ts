import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuditService } from '../../audit/audit.service.ts'
import { errors } from '../../errors/errors.ts'
import { checkRole } from '../../principals/principal.ts'
import type { PrincipalAdministration } from '../../principals/principal-administration.ts'
import { html } from '../html.ts'
import type { Layout } from '../layout.ts'
import { auditTable } from '../publishing/audit-section.ts'
import { viewerOf } from '../viewer.ts'
import { administrationPage } from './administration.page.ts'

export interface AdministrationOptions {
  readonly administration: PrincipalAdministration
  readonly audit: AuditService
  readonly layout: Layout
  /** The portal's prefix, for links (not `prefix`: Fastify's register would add it to the routes). */
  readonly portalPrefix: string
}

type Form = Record<string, unknown>

/** How many records the audit page shows, the newest first. */
const AUDIT_PAGE_SIZE = 100

/**
 * The portal's administration (docs/portal.md, "Administration"): principals and their roles, a
 * new principal's secret shown once, signing-key rotation, and a publisher's audit trail. The rules
 * are the principal administration service's; changes are recorded as the portal's.
 */
export async function administrationPages(
  app: FastifyInstance,
  options: AdministrationOptions,
): Promise<void> {
  const { administration, layout, portalPrefix: prefix } = options
  const home = `${prefix}/admin`
  administrationPage(app, { administration, layout, prefix })

  app.post<{ Body: Form }>('/admin/principals', async (request, reply) => {
    const displayName = text(request.body?.displayName)
    if (displayName === '') throw errors.badRequest('Enter a display name for the principal.')
    const publisherId = text(request.body?.publisherId)
    const grant = publisherId === '' ? undefined : { publisherId, role: checkRole(text(request.body?.role)) }
    const created = await administration.createPrincipal(viewerOf(request).caller, {
      displayName,
      ...(grant ? { grant } : {}),
    })
    return secretOnce(request, reply, {
      title: `Principal ${displayName} created`,
      displayName,
      tenantId: created.principal.tenantId,
      clientId: created.principal.clientId,
      secret: created.secret as string,
    })
  })

  app.post<{ Params: { principalId: string }; Body: Form }>(
    '/admin/principals/:principalId/grants',
    async (request, reply) => {
      const grant = {
        publisherId: text(request.body?.publisherId),
        role: checkRole(text(request.body?.role)),
      }
      await administration.grant(viewerOf(request).caller, request.params.principalId, grant)
      return reply.redirect(`${home}?done=granted`, 303)
    },
  )

  app.post<{ Params: { principalId: string; publisherId: string } }>(
    '/admin/principals/:principalId/grants/:publisherId/revoke',
    async (request, reply) => {
      const { principalId, publisherId } = request.params
      await administration.revoke(viewerOf(request).caller, principalId, publisherId)
      return reply.redirect(`${home}?done=revoked`, 303)
    },
  )

  app.post<{ Params: { principalId: string } }>(
    '/admin/principals/:principalId/secret',
    async (request, reply) => {
      const { caller } = viewerOf(request)
      const principal = (await administration.listPrincipals(caller)).find(
        (each) => each.id === request.params.principalId,
      )
      if (!principal) throw errors.principalNotFound(request.params.principalId)
      const { secret } = await administration.rotateSecret(caller, principal.id)
      return secretOnce(request, reply, {
        title: `A new secret for ${principal.displayName}`,
        displayName: principal.displayName,
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        secret,
        replaced: true,
      })
    },
  )

  app.get('/admin/signing-keys/rotate', async (request, reply) => {
    await administration.scope(viewerOf(request).caller)
    const main = html`<p>A new key signs the tokens issued from now on. Tokens signed with the previous keys stay valid
  until they expire: the previous keys are still published for checking them. Every server of this store
  picks the new key up within a minute.</p>
<form method="post" action="${home}/signing-keys/rotate" class="actions">
  ${layout.csrfField(reply)}
  <button type="submit">Rotate the signing key</button>
  <a href="${home}">Back to administration</a>
</form>`
    return layout.send(request, reply, {
      title: 'Rotate the signing key?',
      section: 'administration',
      breadcrumbs: [{ label: 'Administration', href: home }, { label: 'Rotate the signing key' }],
      main,
    })
  })

  app.post('/admin/signing-keys/rotate', async (request, reply) => {
    await administration.rotateSigningKey(viewerOf(request).caller)
    return reply.redirect(`${home}?done=rotated`, 303)
  })

  app.get<{ Querystring: { publisher?: string } }>('/admin/audit', async (request, reply) => {
    const publisherId = text(request.query.publisher)
    const events = await options.audit.list(viewerOf(request).caller, {
      publisherId,
      newestFirst: true,
      limit: AUDIT_PAGE_SIZE,
    })
    return layout.send(request, reply, {
      title: `Audit trail of ${publisherId}`,
      section: 'administration',
      breadcrumbs: [{ label: 'Administration', href: home }, { label: `Audit trail of ${publisherId}` }],
      main: html`<p class="muted">The whole trail is in <code>cloudpartner audit</code> and at <code>GET /admin/publishers/${publisherId}/audit</code>.</p>
${auditTable(events)}`,
    })
  })

  /**
   * A secret, shown on this answer only: it is not stored (only its hash is), the page is not cached
   * (no-store, as every portal page), and a reload would ask to send the form again.
   */
  function secretOnce(
    request: FastifyRequest,
    reply: FastifyReply,
    shown: {
      title: string
      displayName: string
      tenantId: string
      clientId: string
      secret: string
      replaced?: boolean
    },
  ) {
    const main = html`<div class="notice warn" role="alert"><p><strong>Copy the secret now.</strong> It is shown on this page
  once and never again${shown.replaced ? html`; the previous secret no longer works` : ''}.</p></div>
<dl class="credentials">
  <dt>Display name</dt><dd>${shown.displayName}</dd>
  <dt>Tenant id</dt><dd><code>${shown.tenantId}</code></dd>
  <dt>Client id</dt><dd><code>${shown.clientId}</code></dd>
  <dt>Client secret</dt><dd><code id="client-secret">${shown.secret}</code></dd>
</dl>
<p>Sign in to the portal with these, or give them to a client of the API (the token endpoint's client
credentials).</p>
<p><a href="${home}">Back to administration</a></p>`
    return layout.send(request, reply, {
      title: shown.title,
      section: 'administration',
      breadcrumbs: [{ label: 'Administration', href: home }, { label: shown.title }],
      main,
    })
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}
