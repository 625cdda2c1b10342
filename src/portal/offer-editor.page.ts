import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Caller } from '../auth/caller.ts'
import { ApiError } from '../errors/api-error.ts'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { OfferService } from '../offers/offers.service.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import { validateOffer } from '../sdk/validate-offer.ts'
import { errorNotice } from './error-page.ts'
import { type Html, html } from './html.ts'
import type { Layout } from './layout.ts'
import { offerPaths } from './offer.page.ts'
import { changesBetween } from './offer-changes.ts'
import { documentOf, type OfferDocument } from './offer-views.ts'
import { viewerOf } from './viewer.ts'

interface EditorOptions {
  readonly layout: Layout
  readonly offers: OfferService
  readonly offerReads: OfferReadModel
  readonly access: PublisherAccess
  readonly prefix: string
}

interface Params {
  publisherId: string
  offerId: string
}

interface EditorForm {
  document?: string
  etag?: string
}

/**
 * The draft as JSON in a text area, saved with its ETag as If-Match, as a client of the API saves
 * it (OfferService.putOffer: the same rules, the same messages):
 * - a 400 shows the service's message and, field by field, the problems the service's own
 *   validation finds (the SDK's validateOffer runs the same checks as PUT);
 * - a 412 (someone saved meanwhile) shows what differs between their draft and yours, and lets the
 *   person load theirs or overwrite it knowingly: the overwrite is sent with THEIR ETag, so a third
 *   save in between is a conflict again, never lost silently.
 */
export function offerEditorPage(app: FastifyInstance, options: EditorOptions): void {
  const { layout, prefix } = options
  const route = '/publishers/:publisherId/offers/:offerId/edit'

  app.get<{ Params: Params }>(route, async (request, reply) => {
    const { caller } = viewerOf(request)
    const { publisherId, offerId } = request.params
    const draft = documentOf(await options.offerReads.getOffer(caller, publisherId, offerId))
    return send(request, reply, { text: pretty(draft.body), etag: draft.etag })
  })

  app.post<{ Params: Params; Body: EditorForm }>(route, async (request, reply) => {
    const { caller } = viewerOf(request)
    const { publisherId, offerId } = request.params
    const text = typeof request.body?.document === 'string' ? request.body.document : ''
    const etag = typeof request.body?.etag === 'string' ? request.body.etag : ''
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      const problem = html`<div class="notice error" role="alert"><h2>Not valid JSON</h2><p>${(error as Error).message}</p></div>`
      return send(request, reply, { text, etag, problem }, 400)
    }
    try {
      await options.offers.putOffer(caller, { publisherId, offerId }, parsed, {
        ifMatch: etag === '' ? undefined : etag,
        ifNoneMatch: undefined,
      })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.statusCode === 400) {
        const problem = html`${errorNotice(error, String(request.id))}${await fieldProblems(caller, parsed, request.params)}`
        return send(request, reply, { text, etag, problem }, 400)
      }
      if (error.statusCode === 412) {
        const theirs = documentOf(await options.offerReads.getOffer(caller, publisherId, offerId))
        return send(request, reply, { text, etag, conflict: { theirs, yours: parsed } }, 412)
      }
      throw error
    }
    return reply.redirect(`${offerPaths(prefix, publisherId, offerId).offer}?saved`, 303)
  })

  /** The service's validation, field by field (the same checks as the PUT that refused the draft). */
  async function fieldProblems(caller: Caller, document: unknown, params: Params): Promise<Html | false> {
    const current = documentOf(await options.offerReads.getOffer(caller, params.publisherId, params.offerId))
    const { problems } = validateOffer(document, {
      draftOnly: true,
      publisherId: params.publisherId,
      offerId: params.offerId,
      offerTypeId: current.body.offerTypeId,
    })
    if (problems.length === 0) return false
    return html`<section aria-labelledby="draft-problems-heading">
  <h2 id="draft-problems-heading">Problems, field by field</h2>
  <ul id="draft-problems" class="field-errors">${problems.map(
    (problem) =>
      html`<li><a href="#draft-json" data-find="${lastKey(problem.path)}"><code>${problem.field}</code></a>: ${problem.message}</li>`,
  )}</ul>
</section>`
  }

  interface EditorState {
    readonly text: string
    readonly etag: string
    readonly problem?: Html
    readonly conflict?: { readonly theirs: OfferDocument; readonly yours: unknown }
  }

  async function send(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    state: EditorState,
    status = 200,
  ) {
    const { caller } = viewerOf(request)
    const { publisherId, offerId } = request.params
    const { publisher } = await options.access.require(caller, publisherId)
    const paths = offerPaths(prefix, publisherId, offerId)
    const { conflict } = state
    const main = html`${state.problem && html`<div id="draft-problem">${state.problem}</div>`}
${conflict && conflictNotice(conflict, paths.edit)}
<form class="stacked editor" method="post" action="${paths.edit}">
  ${layout.csrfField(reply)}
  <input type="hidden" name="etag" value="${conflict ? conflict.theirs.etag : state.etag}">
  <div>
    <label for="draft-json">Draft (JSON, as the API's GET answers it)</label>
    <textarea id="draft-json" name="document" rows="28" spellcheck="false" autocomplete="off"
      ${state.problem ? html`aria-invalid="true" aria-describedby="draft-problem draft-hint"` : html`aria-describedby="draft-hint"`}>${state.text}</textarea>
    <p class="hint" id="draft-hint">Secret fields are not shown and are kept as they are when left out. Saved with If-Match: the draft's ETag when you opened it.</p>
  </div>
  <div>${
    conflict
      ? html`<button type="submit" class="danger">Overwrite theirs with mine</button>
    <a class="button secondary" href="${paths.edit}">Discard mine and load theirs</a>`
      : html`<button type="submit">Save the draft</button> <a class="button secondary" href="${paths.offer}">Cancel</a>`
  }</div>
</form>`
    return layout.send(
      request,
      reply,
      {
        title: `Edit ${offerId}`,
        section: 'publishers',
        breadcrumbs: [
          { label: 'Publishers', href: `${prefix}/publishers` },
          { label: publisher.displayText, href: paths.offers },
          { label: offerId, href: paths.offer },
          { label: 'Edit' },
        ],
        main,
      },
      status,
    )
  }
}

/** `yours` passed the service's validation (a 412 is decided after it), so it is an offer object. */
function conflictNotice(conflict: { theirs: OfferDocument; yours: unknown }, editPath: string): Html {
  return html`<div class="notice error" role="alert">
  <h2>Someone saved this draft after you opened it</h2>
  <p>Their save is kept; yours is not saved yet. Below is what differs between their draft (before)
  and yours (after). Overwrite theirs only if you mean to replace their changes, or
  <a href="${editPath}">load their draft</a> and make your changes again.</p>
  ${changesBetween(conflict.theirs.body, conflict.yours as Record<string, unknown>)}
</div>`
}

function pretty(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`
}

function lastKey(path: readonly (string | number)[]): string {
  const key = [...path].reverse().find((segment) => typeof segment === 'string')
  return typeof key === 'string' ? key : ''
}
