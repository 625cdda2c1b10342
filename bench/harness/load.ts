import autocannon from 'autocannon'
import { cpuSecondsOf, sampleRss } from './process-stats.ts'

export interface LoadSpec {
  readonly url: string
  readonly method?: 'GET' | 'POST' | 'PUT'
  readonly headers?: Record<string, string>
  readonly body?: string
  readonly connections: number
  /** Seconds of load; ignored when `amount` is given. */
  readonly seconds?: number
  /** Stop after this many responses instead of after `seconds`. */
  readonly amount?: number
  /** Seconds of the same load first, not counted: lets V8 optimize and SQLite warm its cache. */
  readonly warmupSeconds?: number
}

export interface LoadResult {
  readonly requests: number
  readonly seconds: number
  readonly requestsPerSecond: number
  /** Milliseconds, from the response times of every request (not autocannon's 1 ms histogram buckets). */
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** Responses that were not 2xx, and connection errors: any of them makes the measurement invalid. */
  readonly failures: number
  /** The measured process's CPU time over the run (user + system), per request, in microseconds. */
  readonly cpuMicrosPerRequest: number
  /** Share of one core the measured process used (1.0: a whole core). */
  readonly cpuShare: number
  /** Peak RSS of the measured process during the run, in bytes. */
  readonly peakRss: number
}

/** Drives `pid`'s server with autocannon (in this process, not the server's) and measures it. */
export async function measureLoad(pid: number, spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds) await fire({ ...spec, amount: undefined, seconds: spec.warmupSeconds }, () => {})
  const latencies: number[] = []
  const rss = sampleRss(pid)
  const cpuBefore = cpuSecondsOf(pid)
  const started = performance.now()
  const result = await fire(spec, (status, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms)
  })
  const seconds = (performance.now() - started) / 1000
  const cpuSeconds = cpuSecondsOf(pid) - cpuBefore
  const peakRss = rss.stop()
  latencies.sort((a, b) => a - b)
  const requests = latencies.length
  return {
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    failures: result.non2xx + result.errors,
    cpuMicrosPerRequest: requests === 0 ? Number.NaN : (cpuSeconds * 1e6) / requests,
    cpuShare: cpuSeconds / seconds,
    peakRss,
  }
}

export interface ParallelResult {
  readonly requests: number
  readonly seconds: number
  readonly requestsPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly failures: number
}

/** Several loads at once (one per replica), with their latencies merged. */
export async function measureParallel(specs: readonly LoadSpec[]): Promise<ParallelResult> {
  await Promise.all(
    specs.map((spec) =>
      spec.warmupSeconds
        ? fire({ ...spec, amount: undefined, seconds: spec.warmupSeconds }, () => {})
        : undefined,
    ),
  )
  const latencies: number[] = []
  const started = performance.now()
  const results = await Promise.all(
    specs.map((spec) =>
      fire(spec, (status, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms)
      }),
    ),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures: results.reduce((sum, result) => sum + result.non2xx + result.errors, 0),
  }
}

function fire(spec: LoadSpec, onResponse: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        ...(spec.body === undefined ? {} : { body: spec.body }),
        connections: spec.connections,
        ...(spec.amount === undefined ? { duration: spec.seconds ?? 10 } : { amount: spec.amount }),
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
    instance.on('response', (_client, status, _bytes, ms) => onResponse(status, ms))
  })
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
}
