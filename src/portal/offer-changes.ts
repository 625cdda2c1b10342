import type { Offer } from '../offers/offer.ts'
import { offerDiff } from '../offers/offer-diff.ts'
import { type Html, html } from './html.ts'

/** The envelope fields a version carries of its own: not differences of content. */
const ENVELOPE = new Set([
  'offerTypeId',
  'publisherId',
  'status',
  'id',
  'version',
  'changedTime',
  'definition',
])

/** An offer as the API answers it, or as a person wrote it (the envelope and the definition). */
type OfferBody = Readonly<Record<string, unknown>>

/** A value longer than this is cut in the list (the JSON view shows it whole). */
const SHOWN_CHARACTERS = 300

/**
 * The differences between two documents as the audit trail records a PUT's (offers/offer-diff.ts,
 * the SDK's diff: plans matched by planId, at most 200 changes), as a list a person reads.
 */
export function changesBetween(before: OfferBody, after: OfferBody): Html {
  const content = (body: OfferBody) => ({
    definition: (body.definition ?? {}) as Offer['definition'],
    extras: Object.fromEntries(Object.entries(body).filter(([key]) => !ENVELOPE.has(key))),
  })
  const { changes, changesTruncated } = offerDiff(content(before), content(after)) as {
    changes: { kind: 'added' | 'removed' | 'changed'; path: string; before?: unknown; after?: unknown }[]
    changesTruncated?: true
  }
  if (changes.length === 0) return html`<p class="notice info">No difference in content.</p>`
  return html`<p>${changes.length}${changesTruncated ? ' (the first)' : ''} change${changes.length === 1 ? '' : 's'}:</p>
<ul class="diff">${changes.map(
    (
      change,
    ) => html`<li class="${change.kind === 'added' ? 'added' : change.kind === 'removed' ? 'removed' : ''}">
  <span class="badge">${change.kind}</span> <code>${change.path}</code>
  ${change.before !== undefined && html`<br><span class="visually-hidden">before: </span><del>${shown(change.before)}</del>`}
  ${change.after !== undefined && html`<br><span class="visually-hidden">after: </span><ins>${shown(change.after)}</ins>`}
</li>`,
  )}</ul>`
}

function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined'
  return json.length > SHOWN_CHARACTERS ? `${json.slice(0, SHOWN_CHARACTERS)}…` : json
}
