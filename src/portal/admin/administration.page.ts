import type { FastifyInstance, FastifyReply } from 'fastify'
import { ROLES } from '../../principals/principal.ts'
import type {
  AdministrationScope,
  PrincipalAdministration,
} from '../../principals/principal-administration.ts'
import type { PrincipalWithGrants } from '../../principals/principals.service.ts'
import type { SigningKeySummary } from '../../token-service/keyring.ts'
import { type Html, html } from '../html.ts'
import type { Layout } from '../layout.ts'
import { timeOf } from '../time.ts'
import { viewerOf } from '../viewer.ts'

export interface AdministrationPageOptions {
  readonly administration: PrincipalAdministration
  readonly layout: Layout
  readonly prefix: string
}

/** What the page says after a form came back (post/redirect/get). */
const DONE: Readonly<Record<string, string>> = {
  granted: 'The role was given.',
  revoked: 'The role was taken away.',
  rotated: 'A new signing key is active; tokens signed with the previous ones stay valid until they expire.',
}

/**
 * The portal's administration (principal-administration.ts has the rules): the principals in the
 * viewer's scope with their roles, a form for a new principal, the signing keys. Each form posts
 * to administration.routes.ts.
 */
export function administrationPage(app: FastifyInstance, options: AdministrationPageOptions): void {
  const { administration, layout, prefix } = options
  app.get<{ Querystring: { done?: string } }>('/admin', async (request, reply) => {
    const { caller } = viewerOf(request)
    const scope = await administration.scope(caller)
    const [principals, keys, publisherIds] = await Promise.all([
      administration.listPrincipals(caller),
      administration.listSigningKeys(caller),
      administration.publisherIds(caller),
    ])
    const done = DONE[request.query.done ?? '']
    const main = html`${done && html`<div class="notice ok" role="status"><p>${done}</p></div>`}
<p>${
      scope.all
        ? 'Development mode: you administer every publisher, as the store’s administrator does with the CLI.'
        : html`You administer the publishers you own: ${publisherIds.map((id, index) => html`${index > 0 && ', '}<code>${id}</code>`)}.`
    }</p>
<section aria-labelledby="principals-heading">
  <h2 id="principals-heading">Principals</h2>
  ${principalsTable(principals, publisherIds, reply, layout, prefix)}
</section>
<section aria-labelledby="new-principal-heading">
  <h2 id="new-principal-heading">New principal</h2>
  ${newPrincipalForm(publisherIds, scope, reply, layout, prefix)}
</section>
<section aria-labelledby="keys-heading">
  <h2 id="keys-heading">Signing keys</h2>
  ${keysTable(keys)}
  <form method="get" action="${prefix}/admin/signing-keys/rotate"><button type="submit">Rotate the signing key</button></form>
</section>
<section aria-labelledby="audit-heading">
  <h2 id="audit-heading">Audit trail</h2>
  <ul>${publisherIds.map((id) => html`<li><a href="${prefix}/admin/audit?publisher=${encodeURIComponent(id)}">Changes to <code>${id}</code></a></li>`)}</ul>
</section>`
    return layout.send(request, reply, { title: 'Administration', section: 'administration', main })
  })
}

function principalsTable(
  principals: readonly PrincipalWithGrants[],
  publisherIds: readonly string[],
  reply: FastifyReply,
  layout: Layout,
  prefix: string,
): Html {
  if (principals.length === 0)
    return html`<p class="muted">No principal holds a role on your publishers yet.</p>`
  return html`<div class="table-scroll" role="region" aria-label="Principals and their roles" tabindex="0"><table>
  <thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Roles</th><th scope="col">Give a role</th></tr></thead>
  <tbody>${principals.map((principal) => {
    const base = `${prefix}/admin/principals/${principal.id}`
    return html`<tr>
    <td>${principal.displayName}<br><span class="muted">created ${timeOf(principal.createdTime)}</span></td>
    <td><code>${principal.clientId}</code><br><span class="muted">tenant <code>${principal.tenantId}</code></span></td>
    <td>${
      principal.grants.length === 0
        ? html`<span class="muted">None</span>`
        : html`<ul class="grants">${principal.grants.map(
            (
              grant,
            ) => html`<li><span class="badge info">${grant.role}</span> on <code>${grant.publisherId}</code>
      <form method="post" action="${base}/grants/${encodeURIComponent(grant.publisherId)}/revoke" class="inline">${layout.csrfField(reply)}<button type="submit" class="link-button">Take away<span class="visually-hidden"> the role of ${principal.displayName} on ${grant.publisherId}</span></button></form></li>`,
          )}</ul>`
    }
    ${principal.hasSecret && html`<form method="post" action="${base}/secret" class="inline">${layout.csrfField(reply)}<button type="submit" class="link-button">New secret<span class="visually-hidden"> for ${principal.displayName}</span></button></form>`}</td>
    <td>${grantForm(`${base}/grants`, principal.id, publisherIds, reply, layout)}</td>
  </tr>`
  })}</tbody>
</table></div>`
}

function grantForm(
  action: string,
  key: string,
  publisherIds: readonly string[],
  reply: FastifyReply,
  layout: Layout,
): Html {
  return html`<form method="post" action="${action}" class="grant-form">
  ${layout.csrfField(reply)}
  <label for="grant-publisher-${key}">Publisher</label>
  <select id="grant-publisher-${key}" name="publisherId">${publisherIds.map((id) => html`<option value="${id}">${id}</option>`)}</select>
  <label for="grant-role-${key}">Role</label>
  <select id="grant-role-${key}" name="role">${ROLES.map((role) => html`<option value="${role}">${role}</option>`)}</select>
  <button type="submit" class="secondary">Give the role</button>
</form>`
}

function newPrincipalForm(
  publisherIds: readonly string[],
  scope: AdministrationScope,
  reply: FastifyReply,
  layout: Layout,
  prefix: string,
): Html {
  return html`<form class="stacked" method="post" action="${prefix}/admin/principals">
  ${layout.csrfField(reply)}
  <div>
    <label for="new-name">Display name</label>
    <input id="new-name" name="displayName" type="text" required maxlength="256">
  </div>
  <div>
    <label for="new-publisher">First role on</label>
    <select id="new-publisher" name="publisherId">
      ${scope.all && html`<option value="">No publisher yet</option>`}
      ${publisherIds.map((id) => html`<option value="${id}">${id}</option>`)}
    </select>
  </div>
  <div>
    <label for="new-role">Role</label>
    <select id="new-role" name="role">${ROLES.map((role) => html`<option value="${role}"${role === 'Contributor' ? html` selected` : ''}>${role}</option>`)}</select>
  </div>
  <p class="hint">Its secret is shown once, on the next page, and never again: only its hash is kept.</p>
  <div><button type="submit">Create the principal</button></div>
</form>`
}

function keysTable(keys: readonly SigningKeySummary[]): Html {
  return html`<div class="table-scroll" role="region" aria-label="Signing keys, newest first" tabindex="0"><table>
  <thead><tr><th scope="col">Key id</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
  <tbody>${keys.map(
    (key) => html`<tr>
    <td><code>${key.kid}</code></td>
    <td>${timeOf(key.createdTime)}</td>
    <td>${key.retiredTime === undefined ? html`<span class="badge ok">Active</span>` : html`Retired ${timeOf(key.retiredTime)}`}</td>
  </tr>`,
  )}</tbody>
</table></div>`
}
