import type { FastifyInstance } from 'fastify'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { PublisherService } from '../publishers/publishers.service.ts'
import { html } from './html.ts'
import type { Layout } from './layout.ts'
import { viewerOf } from './viewer.ts'

/**
 * The publishers the viewer holds a role on, exactly as `GET /api/publishers` lists them for its
 * token (the same service, the same caller), each with the viewer's role.
 */
export function publishersPage(
  app: FastifyInstance,
  options: { layout: Layout; publishers: PublisherService; access: PublisherAccess; prefix: string },
): void {
  const { layout, prefix } = options
  app.get('/publishers', async (request, reply) => {
    const { caller } = viewerOf(request)
    const publishers = await options.publishers.list(caller)
    const roles = await Promise.all(
      publishers.map(async (publisher) => (await options.access.require(caller, publisher.id)).role),
    )
    const main =
      publishers.length === 0
        ? html`<div class="notice info"><p>You hold no role on any publisher, so there is nothing to show.
  An Owner or the store's administrator can grant you one:
  <code>cloudpartner principals grant ${viewerOf(request).principal.clientId} &lt;publisher&gt; --role Contributor</code>.</p></div>`
        : html`<ul class="cards" aria-label="Publishers">${publishers.map(
            (publisher, index) => html`<li class="card">
  <h2><a href="${prefix}/publishers/${encodeURIComponent(publisher.id)}/offers">${publisher.displayText}</a></h2>
  <p class="muted">Id <code>${publisher.id}</code> · your role: <span class="badge info">${roles[index]}</span></p>
</li>`,
          )}</ul>`
    return layout.send(request, reply, { title: 'Publishers', section: 'publishers', main })
  })
}
