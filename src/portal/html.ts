/**
 * HTML built with a tagged template that escapes every value it interpolates: a page can only
 * carry markup that was written as a template literal here, never text that came from a request
 * or the store (offer titles, error messages). Nesting composes: a value that is itself `Html`
 * (a fragment built with `html`) is inserted as it is; arrays are joined; null, undefined and
 * false render nothing, so `${cond && html`…`}` reads naturally.
 *
 * Hand-written rather than a library (docs/adr/0008): the JSX engines need a compile step that
 * Node's type stripping does not do, and the tagged-template packages add little to these lines.
 */
export class Html {
  readonly #text: string
  constructor(text: string) {
    this.#text = text
  }
  toString(): string {
    return this.#text
  }
}

export type HtmlValue = Html | string | number | bigint | boolean | null | undefined | readonly HtmlValue[]

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for an element's content and for a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string)
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.toString()
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0] as string
  for (let index = 0; index < values.length; index += 1) {
    text += render(values[index] as HtmlValue) + (strings[index + 1] as string)
  }
  return new Html(text)
}
