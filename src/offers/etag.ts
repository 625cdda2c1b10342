import { formatTicks, isTimestamp, parseTimestamp } from '../timestamps.ts'

/**
 * The service's ETags: weak, Azure-Table style, the draft's changedTime with its colons URL-encoded,
 * e.g. `W/"datetime'2019-10-30T22%3A03%3A51.6562051Z'"` (reference §3.5, Appendix A). Only a write
 * of the draft changes it; publishing does not.
 */
export function formatEtag(changedTime: string): string {
  return `W/"datetime'${changedTime.replaceAll(':', '%3A')}'"`
}

/** What an If-Match header asks for. */
export type IfMatch =
  | { readonly kind: 'absent' }
  /** `*`: last one wins. */
  | { readonly kind: 'any' }
  /** One or more entity tags, as the changedTimes they stand for (undefined: not one of ours). */
  | { readonly kind: 'tags'; readonly changedTimes: readonly (string | undefined)[] }

export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return { kind: 'absent' }
  const tags = header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
  // An empty header names no version at all: the same as none.
  if (tags.length === 0) return { kind: 'absent' }
  if (tags.includes('*')) return { kind: 'any' }
  return { kind: 'tags', changedTimes: tags.map(changedTimeOf) }
}

/** Whether a condition header (If-None-Match) is `*`, alone or in a list. */
export function isAnyTag(header: string | undefined): boolean {
  return (header ?? '').split(',').some((tag) => tag.trim() === '*')
}

/** Weak comparison (RFC 7232 §2.3.2), tolerant of clients that drop `W/` or decode the colons. */
export function matchesEtag(ifMatch: IfMatch & { kind: 'tags' }, changedTime: string): boolean {
  return ifMatch.changedTimes.includes(changedTime)
}

function changedTimeOf(tag: string): string | undefined {
  const opaque = tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1')
  const match = /^datetime'(.*)'$/.exec(opaque)
  if (!match) return undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(match[1] as string)
  } catch {
    return undefined
  }
  return isTimestamp(decoded) ? formatTicks(parseTimestamp(decoded)) : undefined
}
