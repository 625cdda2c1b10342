import type { FastifyInstance } from 'fastify'
import { errors } from '../../errors/errors.ts'
import { type Html, html } from '../html.ts'
import type { Breadcrumb, Layout } from '../layout.ts'
import { viewerOf } from '../viewer.ts'
import { outboxContent } from './outbox-section.ts'
import { operationTitle, panelSummary, progressMovesWithTime, publishingPanel } from './publishing-panel.ts'
import { loadPublishingPanel, type PanelServices } from './publishing-panel-data.ts'
import { type OfferRef, offerPath, publishingPath } from './publishing-paths.ts'
import { operationBadge } from './status-badges.ts'
import { messages, timeline } from './timeline.ts'

type OfferParams = { Params: { publisherId: string; offerId: string } }

/** What a page says after its form was sent and the browser came back (post/redirect/get). */
const DONE: Readonly<Record<string, string>> = {
  publish: 'Publishing started: its steps are shown below as they advance.',
  'go-live': 'Going live started.',
  cancel: 'Publishing was canceled.',
  step: 'The step was changed.',
  'next-failure': 'The next publish will meet the failure you planned.',
  'next-failure-cleared': 'The planned failure was forgotten.',
}

/**
 * Without scripts the page cannot update itself; at the viewer's request (a link, off by default:
 * layout.ts says why) it reloads itself this often instead.
 */
const RELOAD_SECONDS = 5

/** The stamp a polled panel shows (publishing-state.ts), for the page's next poll to send back. */
export const STAMP_HEADER = 'x-publishing-stamp'

export function breadcrumbsOf(prefix: string, offer: OfferRef, last: Breadcrumb[] = []): Breadcrumb[] {
  const publisher = `${prefix}/publishers/${encodeURIComponent(offer.publisherId)}`
  return [
    { label: 'Publishers', href: `${prefix}/publishers` },
    { label: offer.publisherId, href: `${publisher}/offers` },
    { label: offer.offerId, href: offerPath(prefix, offer) },
    ...last,
  ]
}

/**
 * An offer's publishing page: the panel (publishing-panel.ts) inside a region the live stream
 * updates; the same panel alone for polling; and one operation's steps and notifications.
 */
export function publishingPage(
  app: FastifyInstance,
  options: { readonly services: PanelServices; readonly layout: Layout; readonly prefix: string },
): void {
  const { services, layout, prefix } = options

  app.get<OfferParams & { Querystring: { done?: string; reload?: string } }>(
    '/publishers/:publisherId/offers/:offerId/publishing',
    async (request, reply) => {
      const offer = request.params
      const data = await loadPublishingPanel(
        services,
        viewerOf(request).caller,
        offer.publisherId,
        offer.offerId,
      )
      const base = publishingPath(prefix, offer)
      const done = DONE[request.query.done ?? '']
      const reloading = request.query.reload === 'on'
      const panel = publishingPanel(data, { prefix, offer, csrf: layout.csrfField(reply) })
      const main = html`${done && html`<div class="notice ok" role="status"><p>${done}</p></div>`}
<p>${data.state.offer.definition.displayText} · <a href="${offerPath(prefix, offer)}">the offer's draft and versions</a></p>
<noscript>${
        reloading
          ? html`<p class="notice info">Without scripts, this page reloads itself every ${RELOAD_SECONDS} seconds to show publishing as it advances. <a href="${base}">Stop reloading</a></p>`
          : html`<p class="notice info">This page updates itself as publishing advances when scripts run. Without them, <a href="${base}">reload it</a> to see the latest, or <a href="${base}?reload=on">have it reload every ${RELOAD_SECONDS} seconds</a>.</p>`
      }</noscript>
<div class="live" hx-ext="sse" sse-connect="${base}/events?since=${encodeURIComponent(data.state.stamp)}" data-poll-url="${base}/panel" data-stamp="${data.state.stamp}">
  <p class="live-status" id="live-status" role="status" sse-swap="status">${panelSummary(data)}</p>
  <div id="publishing-panel" sse-swap="publishing">${panel}</div>
</div>`
      return layout.send(request, reply, {
        title: `Publishing ${offer.offerId}`,
        section: 'publishers',
        breadcrumbs: breadcrumbsOf(prefix, offer, [{ label: 'Publishing' }]),
        main,
        ...(reloading ? { reloadWithoutScriptsEvery: RELOAD_SECONDS } : {}),
      })
    },
  )

  // The panel alone: where the live stream cannot run, the page asks for it every few seconds
  // (assets/portal.js) with the stamp it shows, and is answered as the stream would answer it:
  // nothing (204) while nothing changed, so a form the viewer is filling in stays as it is;
  // otherwise the panel, the status line (out of band) and the new stamp.
  app.get<OfferParams & { Querystring: { since?: string } }>(
    '/publishers/:publisherId/offers/:offerId/publishing/panel',
    async (request, reply) => {
      const offer = request.params
      const data = await loadPublishingPanel(
        services,
        viewerOf(request).caller,
        offer.publisherId,
        offer.offerId,
      )
      reply.header(STAMP_HEADER, data.state.stamp)
      if (request.query.since === data.state.stamp && !progressMovesWithTime(data)) {
        return reply.code(204).send()
      }
      const panel = publishingPanel(data, { prefix, offer, csrf: layout.csrfField(reply) })
      const status = html`<p id="live-status" hx-swap-oob="innerHTML">${panelSummary(data)}</p>`
      return reply.type('text/html; charset=utf-8').send(`${panel}${status}`)
    },
  )

  app.get<OfferParams & { Params: { operationId: string } }>(
    '/publishers/:publisherId/offers/:offerId/publishing/operations/:operationId',
    async (request, reply) => {
      const { publisherId, offerId, operationId } = request.params
      const data = await loadPublishingPanel(services, viewerOf(request).caller, publisherId, offerId)
      const operation = data.state.operations.find((each) => each.id === operationId.toLowerCase())
      if (!operation) throw errors.operationNotFound(operationId)
      const outbox =
        'refused' in data.outbox
          ? data.outbox
          : { shown: await services.operationAdmin.outbox(operation.id, viewerOf(request).caller) }
      const offer = { publisherId, offerId }
      const main: Html = html`<p>${operationBadge(operation.state)} Submission ${operation.publishingVersion}, ${
        operation.slot === 'staging' ? 'to Preview' : 'to Production'
      } · <a href="${publishingPath(prefix, offer)}">back to publishing</a></p>
${operation.messages.length > 0 && html`<h2>Messages</h2>${messages(operation.messages)}`}
<h2>Steps</h2>
${timeline({ operation, offerTypeId: operation.offerTypeId, now: data.state.now })}
<h2>Notifications</h2>
${outboxContent(outbox, operation)}`
      return layout.send(request, reply, {
        title: operationTitle(operation),
        section: 'publishers',
        breadcrumbs: breadcrumbsOf(prefix, offer, [
          { label: 'Publishing', href: publishingPath(prefix, offer) },
          {
            label: `Submission ${operation.publishingVersion} (${operation.kind === 'goLive' ? 'go live' : 'publish'})`,
          },
        ]),
        main,
      })
    },
  )
}
