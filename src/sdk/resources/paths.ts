import { type ApiResponse, type JsonReviver, parseJson } from '../http/http-client.ts'
import type { Submission } from '../types.ts'

/** What every call accepts. */
export interface RequestOptions {
  /** Aborts the call, its retries and its waits. */
  readonly signal?: AbortSignal | undefined
}

export function offerPath(publisherId: string, offerId: string): string {
  return `/api/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}`
}

/**
 * A submission's `version` is a 64-bit .NET tick count (18 digits), beyond a double's exact range:
 * it is read from its source text, as a bigint, as the schema types it. JSON.parse hands revivers
 * the source text from Node 21 on; on Node 20 the versions are quoted in the text first (below).
 */
const exactVersion: JsonReviver = (key, value, context) => {
  if (key !== 'version') return value
  if (typeof value === 'number' && context?.source !== undefined) return BigInt(context.source)
  return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value
}

const REVIVERS_SEE_SOURCE = (() => {
  let seen = false
  JSON.parse('1', ((_key: string, value: unknown, context?: { source?: string }) => {
    seen = context?.source === '1'
    return value
  }) as Parameters<typeof JSON.parse>[1])
  return seen
})()

/** `"version": 638…` as `"version": "638…"`, outside strings (an escaped quote does not start a key). */
function quoteVersions(text: string): string {
  return text.replace(/(?<!\\)("version"\s*:\s*)(-?\d+)(?=\s*[,}])/g, '$1"$2"')
}

export function parseSubmissions(response: ApiResponse): Submission[] {
  const readable = REVIVERS_SEE_SOURCE ? response : { ...response, text: quoteVersions(response.text) }
  return parseJson<Submission[]>(readable, 'GET', exactVersion)
}
