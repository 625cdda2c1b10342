import type {
  OfferPublishingStatus,
  OfferSummary,
  OfferWithETag,
  OperationDetail,
  OperationStep,
  Submission,
} from '../../sdk/index.ts'
import { errorMessagesOf } from '../../sdk/index.ts'
import type { CliIo } from '../cli-io.ts'
import { type Style, visibleLength } from './style.ts'

/** `--json`: one document; 64-bit numbers (a submission's `version`) written exactly. */
export function printJsonValue(io: CliIo, value: unknown): void {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON
  io.out(
    `${JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? raw(item.toString()) : item), 2)}\n`,
  )
}

/** Columns padded to the widest cell (colour does not count), the header in bold. */
export function printColumns(
  io: CliIo,
  style: Style,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  indent = '',
): void {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  )
  const line = (row: readonly string[]) =>
    `${indent}${row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)),
      )
      .join('  ')}`.trimEnd()
  io.out(`${style.bold(line(header))}\n`)
  for (const row of rows) io.out(`${line(row)}\n`)
}

/** Status words coloured by what they mean. */
export function colourStatus(style: Style, status: string): string {
  if (['succeeded', 'complete', 'completed'].includes(status)) return style.green(status)
  if (['failed', 'blocked', 'rejected', 'canceled'].includes(status)) return style.red(status)
  if (['running', 'inProgress', 'waitingForPublisherReview', 'waitingForApproval'].includes(status)) {
    return style.yellow(status)
  }
  return status
}

export function printOfferSummaries(io: CliIo, style: Style, offers: readonly OfferSummary[]): void {
  printColumns(
    io,
    style,
    ['ID', 'TYPE', 'STATUS', 'VERSION', 'NAME'],
    offers.map((offer) => [
      offer.id,
      offer.offerTypeId,
      colourStatus(style, offer.status),
      String(offer.version),
      offer.definition.displayText,
    ]),
  )
}

/** The envelope, a count of keys and the plans: what a person checks before editing or publishing. */
export function printOffer(io: CliIo, style: Style, { offer, etag }: OfferWithETag): void {
  const plans = offer.definition.plans ?? []
  const rows: [string, string][] = [
    ['Name', offer.definition.displayText],
    ['Type', offer.offerTypeId],
    ['Status', colourStatus(style, offer.status)],
    ['Version', String(offer.version)],
    ['Changed', offer.changedTime],
    ...(etag === undefined ? [] : ([['ETag', etag]] as [string, string][])),
    ['Offer keys', String(Object.keys(offer.definition.offer ?? {}).length)],
  ]
  io.out(`${style.bold(`${offer.publisherId}/${offer.id}`)}\n`)
  for (const [label, value] of rows) io.out(`  ${`${label}:`.padEnd(12)}${value}\n`)
  if (plans.length === 0) {
    io.out('  Plans:      none\n')
    return
  }
  io.out(`  Plans (${plans.length}):\n`)
  printColumns(
    io,
    style,
    ['PLAN', 'TITLE'],
    plans.map((plan) => [String(plan.planId ?? '?'), planTitle(plan)]),
    '    ',
  )
}

function planTitle(plan: Record<string, unknown>): string {
  const key = Object.keys(plan).find((name) => name.endsWith('.skuTitle'))
  const title = key === undefined ? undefined : plan[key]
  return typeof title === 'string' ? title : ''
}

export function printSteps(io: CliIo, style: Style, steps: readonly OperationStep[]): void {
  printColumns(
    io,
    style,
    ['#', 'STEP', 'STATUS', 'PROGRESS', 'ESTIMATE'],
    steps.map((step, index) => [
      String(index + 1),
      step.stepName,
      colourStatus(style, step.status),
      `${step.progressPercentage}%`,
      step.estimatedTimeFrame ?? '',
    ]),
    '  ',
  )
}

function printErrors(io: CliIo, style: Style, detail: Pick<OperationDetail, 'messages' | 'steps'>): void {
  for (const message of errorMessagesOf(detail)) io.out(`  ${style.red('error:')} ${message}\n`)
}

export function printPublishingStatus(
  io: CliIo,
  style: Style,
  label: string,
  status: OfferPublishingStatus,
): void {
  io.out(`${style.bold(label)}: ${colourStatus(style, status.status)}\n`)
  if (status.steps.length === 0) {
    io.out('  No publishing operation yet.\n')
    return
  }
  printSteps(io, style, status.steps)
  printErrors(io, style, status)
}

export function printOperationDetail(io: CliIo, style: Style, label: string, detail: OperationDetail): void {
  io.out(
    `${style.bold(label)}: ${colourStatus(style, detail.status)} (offer version ${detail.offerVersion}, publishing version ${detail.publishingVersion}, ${detail.cancellationRequestState})\n`,
  )
  printSteps(io, style, detail.steps)
  printErrors(io, style, detail)
}

export function printSubmissions(io: CliIo, style: Style, submissions: readonly Submission[]): void {
  printColumns(
    io,
    style,
    ['ID', 'TYPE', 'STATE', 'SLOT', 'OFFER VERSION', 'PUBLISHING', 'CHANGED'],
    submissions.map((submission) => [
      submission.id,
      submission.submissionType,
      colourStatus(style, submission.submissionState),
      submission.slot,
      String(submission.offerVersion),
      String(submission.publishingVersion),
      submission.changedTime,
    ]),
  )
}
