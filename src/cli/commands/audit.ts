import { setTimeout as sleep } from 'node:timers/promises'
import type { AuditEvent, AuditFilter } from '../../audit/audit-event.ts'
import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { formatTimestamp, isTimestamp, normalizeTimestamp } from '../../timestamps.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'

const FOLLOW_POLL_MS = 1000
/**
 * How far back each poll of --follow looks again: on PostgreSQL a transaction that took its time
 * earlier may commit after a later one was printed. Records already printed are skipped by id.
 */
const FOLLOW_LOOKBACK_MS = 30_000
const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export const auditCommand = storeCommand({
  name: 'audit',
  usage: '[options]',
  description: [
    'Every change made to the store, oldest first: offer PUTs (ETag before and after, and the diff),',
    'publish, go-live, cancel, step control and planned failures, publishers, principals, grants,',
    'secret rotations (never the secret) and signing keys; who made it (the principal, or the CLI',
    'with the OS user), through which door, with the request and correlation ids.',
  ],
  options: {
    publisher: { type: 'string' },
    offer: { type: 'string' },
    principal: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --publisher <id>                Only changes of this publisher (and its offers).',
    '  --offer <id>                    Only changes of this offer.',
    "  --principal <id>                Only this principal's changes.",
    '  --since <time>                  From this time: 2024-05-01, 2024-05-01T10:00:00Z, or 30m, 12h, 7d ago.',
    '  --until <time>                  Before this time (same forms).',
    '  --limit <n>                     At most n records (default 1000).',
    '  -f, --follow                    Keep printing new changes as they are made, until Ctrl-C.',
    '  --json                          Print JSON: an array, or with --follow one record per line.',
  ],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, services }) {
    const now = new Date()
    const filter: AuditFilter = {
      ...(values.publisher === undefined ? {} : { publisherId: values.publisher }),
      ...(values.offer === undefined ? {} : { offerId: values.offer }),
      ...(values.principal === undefined ? {} : { principalId: values.principal }),
      ...(values.since === undefined ? {} : { since: parseTime('--since', values.since, now) }),
      ...(values.until === undefined ? {} : { until: parseTime('--until', values.until, now) }),
      limit: values.limit === undefined ? 1000 : parseLimit(values.limit),
    }
    const audit = (await services()).audit
    const first = await audit.list(STORE_ADMINISTRATOR, filter)
    if (!values.follow) {
      if (values.json) printJson(io, first)
      else if (first.length === 0) io.out('No changes recorded.\n')
      else for (const event of first) io.out(describe(event))
      return EXIT.ok
    }
    const print = (event: AuditEvent) => io.out(values.json ? `${JSON.stringify(event)}\n` : describe(event))
    for (const event of first) print(event)
    const printed = new Map(first.map((event) => [event.id, event.time]))
    for (;;) {
      await sleep(FOLLOW_POLL_MS)
      const from = formatTimestamp(new Date(Date.now() - FOLLOW_LOOKBACK_MS))
      const since = filter.since !== undefined && filter.since > from ? filter.since : from
      for (const event of await audit.list(STORE_ADMINISTRATOR, { ...filter, since, limit: 10_000 })) {
        if (printed.has(event.id)) continue
        printed.set(event.id, event.time)
        print(event)
      }
      // Forget what the lookback no longer reaches, so that a long follow does not grow.
      for (const [id, time] of printed) if (time < from) printed.delete(id)
    }
  },
})

/** One line per change: time, who (door:actor), what, where, how it ended, and what it names. */
function describe(event: AuditEvent): string {
  const who =
    event.actor.principalId ?? (event.actor.osUser === undefined ? '' : `user ${event.actor.osUser}`)
  const where = [event.publisherId, event.offerId].filter((part) => part !== undefined).join('/')
  const etags =
    event.details?.etagBefore === undefined
      ? ''
      : ` ${String(event.details.etagBefore ?? '(none)')} -> ${String(event.details.etagAfter)}`
  const changes = Array.isArray(event.details?.changes) ? ` ${event.details.changes.length} change(s)` : ''
  return (
    `${event.time}  ${event.door}${who === '' ? '' : ` (${who})`}  ${event.action}` +
    `${where === '' ? '' : `  ${where}`}${event.subjectId === undefined ? '' : `  ${event.subjectId}`}` +
    `  ${event.outcome}${etags}${changes}${event.requestId === undefined ? '' : `  request ${event.requestId}`}\n`
  )
}

/** A CPP timestamp, an ISO date or date-time, or a duration ago (30m, 12h, 7d). */
function parseTime(flag: string, text: string, now: Date): string {
  const ago = /^(\d+)([smhd])$/.exec(text)
  if (ago)
    return formatTimestamp(new Date(now.getTime() - Number(ago[1]) * (UNITS_MS[ago[2] as string] ?? 0)))
  if (isTimestamp(text)) return normalizeTimestamp(text)
  const parsed = Date.parse(text)
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(parsed)) return formatTimestamp(new Date(parsed))
  throw new UsageError(
    `audit: ${flag} takes a date (2024-05-01), a UTC time (2024-05-01T10:00:00Z) or a duration ago (30m, 12h, 7d), not '${text}'.`,
  )
}

function parseLimit(text: string): number {
  const limit = Number(text)
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError(`audit: --limit takes a whole number from 1 to 10000, not '${text}'.`)
  }
  return limit
}
