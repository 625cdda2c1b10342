/** One line of the results table. Absent figures print as a dash. */
export interface ResultRow {
  readonly benchmark: string
  readonly target: string
  readonly requestsPerSecond?: number
  readonly baselineRequestsPerSecond?: number
  /** requestsPerSecond / baselineRequestsPerSecond, both measured in this run. */
  readonly ratio?: number
  /** Milliseconds. */
  readonly p50?: number
  readonly p99?: number
  readonly peakRss?: number
  readonly cpuMicrosPerRequest?: number
  readonly baselineCpuMicrosPerRequest?: number
  /** Anything else the row measured (start-up times, the 1k/1M comparison), in words. */
  readonly note?: string
  /** Whether the target is met; undefined when the row has no target. */
  readonly met?: boolean
}

const MB = 1024 * 1024

export function formatTable(rows: readonly ResultRow[]): string {
  const header = [
    'Benchmark',
    'Target',
    'req/s',
    'Baseline req/s',
    'Ratio',
    'p50 ms',
    'p99 ms',
    'Peak RSS MB',
    'CPU µs/req (baseline)',
    'Met',
    'Notes',
  ]
  const lines = rows.map((row) => [
    row.benchmark,
    row.target,
    fixed(row.requestsPerSecond, 0),
    fixed(row.baselineRequestsPerSecond, 0),
    fixed(row.ratio, 2),
    fixed(row.p50, 2),
    fixed(row.p99, 2),
    row.peakRss === undefined ? '—' : (row.peakRss / MB).toFixed(0),
    row.cpuMicrosPerRequest === undefined
      ? '—'
      : `${row.cpuMicrosPerRequest.toFixed(0)}${row.baselineCpuMicrosPerRequest === undefined ? '' : ` (${row.baselineCpuMicrosPerRequest.toFixed(0)})`}`,
    row.met === undefined ? '' : row.met ? 'yes' : '**no**',
    row.note ?? '',
  ])
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits)
}
