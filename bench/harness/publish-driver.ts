import { cpuSecondsOf, sampleRss } from './process-stats.ts'

export interface PublishLoad {
  readonly baseUrl: string
  readonly token: string
  readonly publisherId: string
  /** Offers never published before, one per cycle: a cycle takes the next. */
  readonly offerIds: readonly string[]
  /** Pipelines running at once, each on its own offer. */
  readonly concurrency: number
  readonly seconds: number
  /**
   * First pause between two polls of an operation; each next pause doubles, up to MAX_POLL_MS, as
   * clients back off. Polling at a fixed short interval would measure the polling, not publishing.
   */
  readonly pollMs: number
}

export interface PublishResult {
  readonly cycles: number
  readonly seconds: number
  readonly cyclesPerSecond: number
  readonly requestsPerCycle: number
  /** Milliseconds from the publish request to the go-live operation's success. */
  readonly p50: number
  readonly p99: number
  readonly cpuMicrosPerCycle: number
  readonly peakRss: number
  /** Whether the server ran out of offers before the time was up (the rate is then a lower bound). */
  readonly exhausted: boolean
}

const API_VERSION = 'api-version=2017-10-31'
const MAX_POLL_MS = 500

/**
 * Publish-to-live cycles through the HTTP API, as a CI pipeline runs them: POST publish, poll the
 * operation until it reports success, POST golive, poll until that succeeds. `concurrency` pipelines
 * run side by side for `seconds`, each on offers of its own; cycles finished in that time count.
 */
export async function drivePublishing(pid: number, load: PublishLoad): Promise<PublishResult> {
  const headers = { authorization: `Bearer ${load.token}` }
  const offers = `${load.baseUrl}/api/publishers/${load.publisherId}/offers`
  let next = 0
  let requests = 0
  const durations: number[] = []
  const rss = sampleRss(pid)
  const cpuBefore = cpuSecondsOf(pid)
  const started = performance.now()
  const deadline = started + load.seconds * 1000

  const call = async (method: 'GET' | 'POST', url: string): Promise<Response> => {
    requests += 1
    const response = await fetch(url, { method, headers })
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`)
    return response
  }
  const untilDone = async (accepted: Response): Promise<void> => {
    const location = accepted.headers.get('location')
    await accepted.arrayBuffer()
    if (!location) throw new Error('a 202 without Location')
    for (let pause = load.pollMs; ; pause = Math.min(MAX_POLL_MS, pause * 2)) {
      const operation = (await (await call('GET', `${load.baseUrl}${location}`)).json()) as { status: string }
      if (operation.status !== 'running' && operation.status !== 'notStarted') {
        if (operation.status === 'failed' || operation.status === 'canceled') {
          throw new Error(`operation ${location} ended ${operation.status}`)
        }
        return
      }
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
  const pipeline = async (): Promise<void> => {
    while (performance.now() < deadline && next < load.offerIds.length) {
      const offerId = load.offerIds[next++] as string
      const begun = performance.now()
      await untilDone(await call('POST', `${offers}/${offerId}/publish?${API_VERSION}`))
      await untilDone(await call('POST', `${offers}/${offerId}/golive?${API_VERSION}`))
      if (performance.now() <= deadline) durations.push(performance.now() - begun)
    }
  }
  await Promise.all(Array.from({ length: load.concurrency }, pipeline))
  const seconds = Math.min(performance.now(), deadline) - started
  const cpuSeconds = cpuSecondsOf(pid) - cpuBefore
  durations.sort((a, b) => a - b)
  const cycles = durations.length
  return {
    cycles,
    seconds: seconds / 1000,
    cyclesPerSecond: cycles / (seconds / 1000),
    requestsPerCycle: requests / Math.max(1, next),
    p50: durations[Math.floor(cycles * 0.5)] ?? Number.NaN,
    p99: durations[Math.min(cycles - 1, Math.floor(cycles * 0.99))] ?? Number.NaN,
    cpuMicrosPerCycle: (cpuSeconds * 1e6) / Math.max(1, next),
    peakRss: rss.stop(),
    exhausted: next >= load.offerIds.length,
  }
}
