import type { FastifyInstance } from 'fastify'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { type Html, html } from './html.ts'
import type { Layout } from './layout.ts'
import { offerTypeLabel, statusBadge } from './offer-labels.ts'
import { type OfferDocument, type OfferSlots, readSlots } from './offer-views.ts'
import { timeOf } from './time.ts'
import { viewerOf } from './viewer.ts'

/** Paths of an offer's pages, from one place. */
export function offerPaths(prefix: string, publisherId: string, offerId: string) {
  const offers = `${prefix}/publishers/${encodeURIComponent(publisherId)}/offers`
  const offer = `${offers}/${encodeURIComponent(offerId)}`
  return { offers, offer, edit: `${offer}/edit`, diff: `${offer}/diff` }
}

/**
 * One offer: what Draft, Preview and Production hold side by side (which version, since when),
 * its versions with where each one is, and a comparison of any two of them.
 */
export function offerPage(
  app: FastifyInstance,
  options: { layout: Layout; offerReads: OfferReadModel; access: PublisherAccess; prefix: string },
): void {
  const { layout, prefix } = options
  app.get<{ Params: { publisherId: string; offerId: string }; Querystring: { saved?: string } }>(
    '/publishers/:publisherId/offers/:offerId',
    async (request, reply) => {
      const { caller } = viewerOf(request)
      const { publisherId, offerId } = request.params
      const { publisher } = await options.access.require(caller, publisherId)
      const slots = await readSlots(options.offerReads, caller, publisherId, offerId)
      const paths = offerPaths(prefix, publisherId, offerId)
      const { draft } = slots
      const main = html`${
        request.query.saved !== undefined &&
        html`<div class="notice ok" role="status"><p>The draft was saved.</p></div>`
      }
<p>${statusBadge(draft.body.status)} <span class="muted">· ${offerTypeLabel(draft.body.offerTypeId)} · id <code>${offerId}</code></span></p>
<p><a class="button" href="${paths.edit}">Edit the draft</a> <a class="button secondary" href="${paths.offer}/publishing">Publishing</a></p>
<h2>Where it is</h2>
<div class="side-by-side">
  ${slotCard('Draft', draft, 'The version being edited: what the next publish will take.')}
  ${slotCard('Preview', slots.preview, 'What the preview audience sees.')}
  ${slotCard('Production', slots.production, 'What is live in the marketplace.')}
</div>
<h2>Versions</h2>
${history(slots, paths.diff)}`
      return layout.send(request, reply, {
        title: draft.body.definition.displayText,
        section: 'publishers',
        breadcrumbs: [
          { label: 'Publishers', href: `${prefix}/publishers` },
          { label: publisher.displayText, href: paths.offers },
          { label: offerId },
        ],
        main,
      })
    },
  )
}

function slotCard(name: string, document: OfferDocument | undefined, what: string): Html {
  return html`<section class="card" aria-labelledby="slot-${name.toLowerCase()}">
  <h3 id="slot-${name.toLowerCase()}">${name}</h3>
  ${
    document
      ? html`<p><strong>Version ${document.body.version}</strong>: ${document.body.definition.displayText}</p>
  <p class="muted">${name === 'Draft' ? 'Changed' : 'Published'} ${timeOf(document.body.changedTime)}</p>`
      : html`<p class="muted">Nothing yet: this offer never reached ${name}.</p>`
  }
  <p class="hint">${what}</p>
</section>`
}

/** Every version, newest first, with the slots that hold it; and the form that compares two. */
function history(slots: OfferSlots, diffPath: string): Html {
  const current = slots.draft.body.version
  const versions = Array.from({ length: current }, (_, index) => current - index)
  const places = (version: number) =>
    [
      version === current ? 'Draft' : undefined,
      slots.preview?.body.version === version ? 'Preview' : undefined,
      slots.production?.body.version === version ? 'Production' : undefined,
    ].filter((place): place is string => place !== undefined)
  const options = (selected: string) =>
    html`${['draft', 'preview', 'production']
      .filter((slot) => slot === 'draft' || slots[slot as 'preview' | 'production'] !== undefined)
      .map(
        (slot) =>
          html`<option value="${slot}"${slot === selected ? html` selected` : ''}>${slot[0]?.toUpperCase()}${slot.slice(1)}</option>`,
      )}${versions.map((version) => html`<option value="${version}"${String(version) === selected ? html` selected` : ''}>Version ${version}</option>`)}`
  const defaultFrom = slots.production
    ? 'production'
    : slots.preview
      ? 'preview'
      : String(Math.max(1, current - 1))
  return html`<div class="table-scroll" role="region" aria-label="Versions" tabindex="0"><table>
  <thead><tr><th scope="col" class="number">Version</th><th scope="col">Where</th><th scope="col">Compare</th></tr></thead>
  <tbody>${versions.map(
    (version) => html`<tr>
    <td class="number">${version}</td>
    <td>${places(version).length > 0 ? places(version).map((place) => html`<span class="badge info">${place}</span> `) : html`<span class="muted">Only in history</span>`}</td>
    <td>${version === current ? html`<span class="muted">—</span>` : html`<a href="${diffPath}?from=${version}&amp;to=draft">with the draft</a>`}</td>
  </tr>`,
  )}</tbody>
</table></div>
<form class="filters" method="get" action="${diffPath}" aria-label="Compare two versions">
  <div><label for="diff-from">Compare</label><select id="diff-from" name="from">${options(defaultFrom)}</select></div>
  <div><label for="diff-to">with</label><select id="diff-to" name="to">${options('draft')}</select></div>
  <div><button type="submit">Show the differences</button></div>
</form>`
}
