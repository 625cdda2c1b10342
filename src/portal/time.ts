import { type Html, html } from './html.ts'

/**
 * A time as the viewer reads it: the server writes UTC (right without a script), and portal.js
 * rewrites the text in the browser's own zone and locale from `datetime`, keeping UTC in the title.
 * CPP's timestamps carry seven fractional digits; `datetime` takes milliseconds.
 */
export function timeOf(timestamp: string | undefined): Html {
  if (timestamp === undefined || timestamp === '') return html`<span class="muted">—</span>`
  const date = new Date(timestamp)
  if (Number.isNaN(date.getTime())) return html`${timestamp}`
  const iso = date.toISOString()
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>`
}
