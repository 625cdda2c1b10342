import type { FastifyInstance } from 'fastify'
import type { Caller } from '../../auth/caller.ts'
import { errors } from '../../errors/errors.ts'
import type { OperationService } from '../../operations/operations.service.ts'
import type { PublishingActions } from '../../operations/publishing-actions.ts'
import { type Html, html } from '../html.ts'
import type { Layout } from '../layout.ts'
import { viewerOf } from '../viewer.ts'
import { breadcrumbsOf } from './publishing.page.ts'
import { PUBLISHING_ACTIONS, type PublishingActionName, publishingPath } from './publishing-paths.ts'

interface ActionText {
  readonly title: (offerId: string) => string
  readonly explanation: Html
  readonly button: string
  readonly availability: keyof PublishingActions
  readonly tone: '' | 'danger'
  /** Publish and go-live may name who is told of their progress (the API's notification-emails). */
  readonly emails: boolean
}

const TEXTS: Readonly<Record<PublishingActionName, ActionText>> = {
  publish: {
    title: (offerId) => `Publish ${offerId}?`,
    explanation: html`<p>The draft becomes a new version, and publishing it starts: validation, certification and
      the other steps, up to the publisher sign-off, when the version is in the Preview slot. The
      draft stays editable meanwhile.</p>`,
    button: 'Publish',
    availability: 'publish',
    tone: '',
    emails: true,
  },
  'go-live': {
    title: (offerId) => `Make ${offerId} live?`,
    explanation: html`<p>You sign the version in Preview off, and it goes live: once its remaining steps complete it
      is in the Production slot, visible to customers. Going live cannot be canceled.</p>`,
    button: 'Go live',
    availability: 'goLive',
    tone: '',
    emails: true,
  },
  cancel: {
    title: (offerId) => `Cancel publishing ${offerId}?`,
    explanation: html`<p>The publish in progress stops where it is. A version that reached Preview is taken out of it
      again, and the Preview slot holds what it held before.</p>`,
    button: 'Cancel publishing',
    availability: 'cancel',
    tone: 'danger',
    emails: false,
  },
}

type ActionParams = { Params: { publisherId: string; offerId: string; action: string } }

/**
 * Publish, go-live and cancel: each button leads to a confirmation page (no script needed), whose
 * form POSTs the action with its CSRF token; the service acts with the viewer's caller, exactly as
 * the API would (its refusals are shown as pages with the API's message), and the browser returns
 * to the publishing page (post/redirect/get).
 */
export function publishingActionRoutes(
  app: FastifyInstance,
  options: { readonly operations: OperationService; readonly layout: Layout; readonly prefix: string },
): void {
  const { operations, layout, prefix } = options

  app.get<ActionParams>(
    '/publishers/:publisherId/offers/:offerId/publishing/confirm/:action',
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      const name = actionOf(request.params.action, request.method, request.url)
      const text = TEXTS[name]
      const availability = (await operations.actions(viewerOf(request).caller, publisherId, offerId))[
        text.availability
      ]
      const base = publishingPath(prefix, { publisherId, offerId })
      const main = availability.allowed
        ? html`${text.explanation}
<form class="stacked" method="post" action="${base}/${name}">
  ${layout.csrfField(reply)}
  ${
    text.emails &&
    html`<div>
    <label for="notification-emails">Notification e-mails (optional)</label>
    <input id="notification-emails" name="notificationEmails" type="text" autocomplete="email" aria-describedby="notification-emails-hint">
    <p class="hint" id="notification-emails-hint">Addresses told of the progress, separated by commas; the notifications are kept in the outbox.</p>
  </div>`
  }
  <div class="actions">
    <button type="submit" class="${text.tone}">${text.button}</button>
    <a href="${base}">Back to publishing</a>
  </div>
</form>`
        : html`<div class="notice info" role="status"><p>${availability.reason}</p></div>
<p><a href="${base}">Back to publishing</a></p>`
      return layout.send(request, reply, {
        title: text.title(offerId),
        section: 'publishers',
        breadcrumbs: breadcrumbsOf(prefix, { publisherId, offerId }, [
          { label: 'Publishing', href: base },
          { label: 'Confirm' },
        ]),
        main,
      })
    },
  )

  app.post<ActionParams & { Body: { notificationEmails?: unknown } }>(
    '/publishers/:publisherId/offers/:offerId/publishing/:action',
    async (request, reply) => {
      const { publisherId, offerId } = request.params
      const name = actionOf(request.params.action, request.method, request.url)
      const emails =
        typeof request.body?.notificationEmails === 'string' ? request.body.notificationEmails : ''
      const body = emails.trim() === '' ? {} : { metadata: { 'notification-emails': emails } }
      await act(operations, name, viewerOf(request).caller, publisherId, offerId, body)
      return reply.redirect(`${publishingPath(prefix, { publisherId, offerId })}?done=${name}`, 303)
    },
  )
}

function actionOf(value: string, method: string, url: string): PublishingActionName {
  const name = PUBLISHING_ACTIONS.find((action) => action === value.toLowerCase())
  if (!name) throw errors.routeNotFound(method, url.split('?')[0] as string)
  return name
}

async function act(
  operations: OperationService,
  name: PublishingActionName,
  caller: Caller,
  publisherId: string,
  offerId: string,
  body: { metadata?: { 'notification-emails': string } },
): Promise<void> {
  switch (name) {
    case 'publish':
      await operations.publish(caller, publisherId, offerId, body)
      return
    case 'go-live':
      await operations.goLive(caller, publisherId, offerId, body)
      return
    case 'cancel':
      await operations.cancel(caller, publisherId, offerId, body)
      return
  }
}
