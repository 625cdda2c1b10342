/**
 * CPP writes times as UTC ISO-8601 with seven fractional digits (.NET ticks precision), e.g.
 * `2017-05-23T23:33:47.8802283Z`. We keep them as strings in that exact form: they sort
 * lexicographically, survive both databases unchanged, and carry more precision than a JS Date.
 */
const TICKS_PER_MS = 10_000n

/** 100-nanosecond ticks since the Unix epoch. */
export type Ticks = bigint

export function ticksFromDate(date: Date): Ticks {
  return BigInt(date.getTime()) * TICKS_PER_MS
}

export function formatTicks(ticks: Ticks): string {
  const ms = ticks / TICKS_PER_MS
  const subMs = ticks % TICKS_PER_MS
  const iso = new Date(Number(ms)).toISOString() // 2017-05-23T23:33:47.880Z
  return `${iso.slice(0, 23)}${subMs.toString().padStart(4, '0')}Z`
}

export function parseTimestamp(value: string): Ticks {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(value)
  if (!match) throw new RangeError(`Not a CPP timestamp: ${value}`)
  const [, seconds, fraction = ''] = match
  const wholeMs = Date.parse(`${seconds}Z`)
  if (Number.isNaN(wholeMs)) throw new RangeError(`Not a CPP timestamp: ${value}`)
  return BigInt(wholeMs) * TICKS_PER_MS + BigInt(fraction.padEnd(7, '0'))
}

export function formatTimestamp(date: Date): string {
  return formatTicks(ticksFromDate(date))
}

/** A timestamp that is strictly later than `previous`, so that datetime ETags never repeat. */
export function nextTimestamp(now: Date, previous?: string): string {
  const candidate = ticksFromDate(now)
  if (previous === undefined) return formatTicks(candidate)
  const after = parseTimestamp(previous) + 1n
  return formatTicks(candidate > after ? candidate : after)
}

export function isTimestamp(value: string): boolean {
  try {
    parseTimestamp(value)
    return true
  } catch {
    return false
  }
}

/** A CPP timestamp in the stored form (seven fractional digits), so that stored times compare as text. */
export function normalizeTimestamp(value: string): string {
  return formatTicks(parseTimestamp(value))
}
