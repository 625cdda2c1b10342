import type { FastifyInstance } from 'fastify'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { html } from './html.ts'
import type { Layout } from './layout.ts'
import { offerPaths } from './offer.page.ts'
import { changesBetween } from './offer-changes.ts'
import { parseReference, readReference, referenceLabel } from './offer-views.ts'
import { viewerOf } from './viewer.ts'

/** The differences between any two versions or slots of an offer (`?from=preview&to=draft`). */
export function offerDiffPage(
  app: FastifyInstance,
  options: { layout: Layout; offerReads: OfferReadModel; access: PublisherAccess; prefix: string },
): void {
  const { layout, prefix } = options
  app.get<{ Params: { publisherId: string; offerId: string }; Querystring: { from?: string; to?: string } }>(
    '/publishers/:publisherId/offers/:offerId/diff',
    async (request, reply) => {
      const { caller } = viewerOf(request)
      const { publisherId, offerId } = request.params
      const { publisher } = await options.access.require(caller, publisherId)
      const from = parseReference(request.query.from)
      const to = parseReference(request.query.to)
      const read = (reference: typeof from) =>
        readReference(options.offerReads, caller, publisherId, offerId, reference)
      const [before, after] = await Promise.all([read(from), read(to)])
      const paths = offerPaths(prefix, publisherId, offerId)
      const title = `${referenceLabel(from as NonNullable<typeof from>)} → ${referenceLabel(to as NonNullable<typeof to>)}`
      return layout.send(request, reply, {
        title: `Changes: ${title}`,
        section: 'publishers',
        breadcrumbs: [
          { label: 'Publishers', href: `${prefix}/publishers` },
          { label: publisher.displayText, href: paths.offers },
          { label: offerId, href: paths.offer },
          { label: 'Changes' },
        ],
        main: html`<p class="muted">From version ${before.body.version} to version ${after.body.version} of <code>${offerId}</code>.</p>
${changesBetween(before.body, after.body)}
<p><a href="${paths.offer}">Back to the offer</a></p>`,
      })
    },
  )
}
