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
 * it is read from its source text, as a bigint, as the schema types it.
 */
const exactVersion: JsonReviver = (key, value, context) =>
  key === 'version' && typeof value === 'number' && context.source !== undefined
    ? BigInt(context.source)
    : value

export function parseSubmissions(response: ApiResponse): Submission[] {
  return parseJson<Submission[]>(response, 'GET', exactVersion)
}
