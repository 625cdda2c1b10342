import type { FastifyInstance } from 'fastify'
import { OFFER_TYPES } from '../offer-types/offer-types.ts'
import { OFFER_STATUSES } from '../offers/offer.ts'
import type { OfferPage } from '../offers/offer-page.ts'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { type Html, html } from './html.ts'
import type { Layout } from './layout.ts'
import { offerTypeLabel, statusBadge, statusLabel } from './offer-labels.ts'
import {
  type OfferTableState,
  PAGE_SIZES,
  readOfferTableState,
  tableHref,
  toPageQuery,
} from './offer-table-query.ts'
import { timeOf } from './time.ts'
import { viewerOf } from './viewer.ts'

/** The id of the part of the page that filtering, sorting and paging replace (htmx). */
const RESULTS = 'offer-results'

const COLUMNS: readonly { sort: OfferTableState['sort']; label: string; numeric?: boolean }[] = [
  { sort: 'id', label: 'Id' },
  { sort: 'title', label: 'Title' },
  { sort: 'type', label: 'Type' },
  { sort: 'status', label: 'Status' },
  { sort: 'version', label: 'Version', numeric: true },
  { sort: 'changed', label: 'Changed' },
]

/**
 * A publisher's offers as a table: filter by type and status, search ids and titles, sort by any
 * column, page on the server (OfferStore.listOfferPage), so that 10,000 offers cost one page of
 * rows. Without scripts it is a GET form and links; with htmx the same URLs replace only the
 * results and keep the address bar in step.
 */
export function offersPage(
  app: FastifyInstance,
  options: { layout: Layout; offerReads: OfferReadModel; access: PublisherAccess; prefix: string },
): void {
  const { layout, prefix } = options
  app.get<{ Params: { publisherId: string }; Querystring: Record<string, unknown> }>(
    '/publishers/:publisherId/offers',
    async (request, reply) => {
      const { caller } = viewerOf(request)
      const { publisherId } = request.params
      const { publisher } = await options.access.require(caller, publisherId)
      const path = `${prefix}/publishers/${encodeURIComponent(publisherId)}/offers`
      let state = readOfferTableState(request.query)
      let page = await options.offerReads.listOfferPage(caller, publisherId, toPageQuery(state))
      const lastPage = Math.max(1, Math.ceil(page.total / state.size))
      if (state.page > lastPage) {
        // A page past the end (the list shrank, or a hand-edited URL): the last one instead.
        state = { ...state, page: lastPage }
        page = await options.offerReads.listOfferPage(caller, publisherId, toPageQuery(state))
      }
      const context = { path, state, page, offerPath: (id: string) => `${path}/${encodeURIComponent(id)}` }
      if (request.headers['hx-target'] === RESULTS) {
        return reply.type('text/html; charset=utf-8').send(results(context).toString())
      }
      return layout.send(request, reply, {
        title: `Offers of ${publisher.displayText}`,
        section: 'publishers',
        breadcrumbs: [
          { label: 'Publishers', href: `${prefix}/publishers` },
          { label: publisher.displayText },
        ],
        main: html`${filters(path, state)}${results(context)}`,
      })
    },
  )
}

function filters(path: string, state: OfferTableState): Html {
  return html`<form class="filters" method="get" action="${path}" role="search" aria-label="Filter offers"
  hx-get="${path}" hx-target="#${RESULTS}" hx-swap="outerHTML" hx-push-url="true"
  hx-trigger="submit, change, input changed delay:400ms from:#offer-search">
  <div>
    <label for="offer-search">Search ids and titles</label>
    <input id="offer-search" name="q" type="search" value="${state.q ?? ''}" autocomplete="off">
  </div>
  <div>
    <label for="offer-type">Type</label>
    <select id="offer-type" name="type">
      <option value="">All types</option>
      ${OFFER_TYPES.map((type) => html`<option value="${type.id}"${type.id === state.type ? html` selected` : ''}>${type.displayText}</option>`)}
    </select>
  </div>
  <div>
    <label for="offer-status">Status</label>
    <select id="offer-status" name="status">
      <option value="">All statuses</option>
      ${OFFER_STATUSES.map((status) => html`<option value="${status}"${status === state.status ? html` selected` : ''}>${statusLabel(status)}</option>`)}
    </select>
  </div>
  <input type="hidden" name="sort" value="${state.sort}">
  <input type="hidden" name="dir" value="${state.dir}">
  <input type="hidden" name="size" value="${state.size}">
  <div><button type="submit">Apply</button></div>
</form>`
}

interface ResultsContext {
  readonly path: string
  readonly state: OfferTableState
  readonly page: OfferPage
  readonly offerPath: (id: string) => string
}

/** A link that works as a link, and with htmx replaces only the results. */
function partialLink(href: string, label: Html | string, attributes: Html | string = ''): Html {
  return html`<a href="${href}" hx-get="${href}" hx-target="#${RESULTS}" hx-swap="outerHTML" hx-push-url="true"${attributes}>${label}</a>`
}

function results({ path, state, page, offerPath }: ResultsContext): Html {
  const first = page.total === 0 ? 0 : (state.page - 1) * state.size + 1
  const last = (state.page - 1) * state.size + page.offers.length
  const count = new Intl.NumberFormat('en').format(page.total)
  return html`<section id="${RESULTS}" aria-labelledby="offer-count">
  <p id="offer-count" aria-live="polite">${
    page.total === 0
      ? state.q || state.type || state.status
        ? 'No offer matches.'
        : 'This publisher has no offers yet: create one with PUT, cloudpartner offers put or cloudpartner import.'
      : `Offers ${first}–${last} of ${count}${state.q || state.type || state.status ? ' that match' : ''}.`
  }</p>
  ${
    page.total > 0 &&
    html`<div class="table-scroll" role="region" aria-label="Table of offers" tabindex="0">
  <table>
    <thead><tr>${COLUMNS.map((column) => header(path, state, column))}</tr></thead>
    <tbody>${page.offers.map(
      (offer) => html`<tr>
      <td><a href="${offerPath(offer.id)}"><code>${offer.id}</code></a></td>
      <td>${offer.definition.displayText}</td>
      <td>${offerTypeLabel(offer.offerTypeId)}</td>
      <td>${statusBadge(offer.status)}</td>
      <td class="number">${offer.version}</td>
      <td>${timeOf(offer.changedTime)}</td>
    </tr>`,
    )}</tbody>
  </table>
</div>`
  }
  ${pager(path, state, page.total)}
</section>`
}

function header(path: string, state: OfferTableState, column: (typeof COLUMNS)[number]): Html {
  const current = state.sort === column.sort
  const nextDir = current && state.dir === 'asc' ? 'desc' : 'asc'
  const sorted = current ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined
  const label = html`${column.label}${current ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}<span class="visually-hidden">, sort ${nextDir === 'asc' ? 'ascending' : 'descending'}</span>`
  return html`<th scope="col"${column.numeric ? html` class="number"` : ''}${sorted ? html` aria-sort="${sorted}"` : ''}>${partialLink(
    tableHref(path, state, { sort: column.sort, dir: nextDir, page: 1 }),
    label,
  )}</th>`
}

function pager(path: string, state: OfferTableState, total: number): Html | false {
  const pages = Math.max(1, Math.ceil(total / state.size))
  if (total === 0) return false
  const go = (page: number, label: string, rel?: string) =>
    page >= 1 && page <= pages && page !== state.page
      ? partialLink(tableHref(path, state, { page }), label, rel ? html` rel="${rel}"` : '')
      : html`<span class="muted" aria-disabled="true">${label}</span>`
  return html`<nav class="pager" aria-label="Pages of offers">
  ${go(1, 'First')} ${go(state.page - 1, 'Previous', 'prev')}
  <span>Page ${state.page} of ${pages}</span>
  ${go(state.page + 1, 'Next', 'next')} ${go(pages, 'Last')}
  <span class="muted">Per page: ${PAGE_SIZES.map((size) =>
    size === state.size
      ? html`<strong aria-current="true">${size}</strong> `
      : html`${partialLink(tableHref(path, state, { size, page: 1 }), String(size))} `,
  )}</span>
</nav>`
}
