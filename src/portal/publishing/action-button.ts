import type { ActionAvailability } from '../../operations/publishing-actions.ts'
import { type Html, html } from '../html.ts'

/**
 * A button that leads to an action's confirmation page (a GET form, so it works without scripts),
 * or the same button disabled with the reason beside it, tied to it by aria-describedby so that a
 * screen reader says why. The reason is the API's own message.
 */
export function actionButton(options: {
  readonly id: string
  readonly label: string
  readonly confirmUrl: string
  readonly availability: ActionAvailability
  readonly tone?: 'primary' | 'danger'
}): Html {
  const { id, label, availability } = options
  const tone = options.tone === 'danger' ? 'danger' : ''
  if (availability.allowed) {
    return html`<form class="action" method="get" action="${options.confirmUrl}">
  <button type="submit" id="${id}" class="${tone}">${label}</button>
</form>`
  }
  return html`<div class="action">
  <button type="button" id="${id}" class="${tone}" disabled aria-describedby="${id}-why">${label}</button>
  <p class="hint" id="${id}-why">${availability.reason}</p>
</div>`
}
