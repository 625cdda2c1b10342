/**
 * How long one request keeps everyone else waiting, seen from outside the server: while `work`
 * runs, a second connection asks /health/live every `everyMs`, and the longest of those answers is
 * the longest the server's event loop was blocked (plus the probe's own round trip, which
 * `idleProbe` measures with nothing in flight, in the same run). A probe inside the server
 * (monitorEventLoopDelay) would not see time spent before the loop gets to its timers.
 */
export async function longestProbe(url: string, work: () => Promise<void>, everyMs: number): Promise<number> {
  let running = true
  let longest = 0
  const probe = (async () => {
    while (running) {
      const started = performance.now()
      await (await fetch(`${url}/health/live`)).arrayBuffer()
      longest = Math.max(longest, performance.now() - started)
      await sleep(everyMs)
    }
  })()
  try {
    await work()
  } finally {
    running = false
    await probe
  }
  return longest
}

/** The longest probe over half a second with nothing in flight: what a stall is measured against. */
export function idleProbe(url: string, everyMs: number): Promise<number> {
  return longestProbe(url, () => sleep(500), everyMs)
}

/**
 * The lowest of `rounds` measurements: on a shared machine the highest measures the neighbours
 * (compare.ts keeps the best too).
 */
export async function best(rounds: number, measure: (round: number) => Promise<number>): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY
  for (let round = 0; round < rounds; round++) lowest = Math.min(lowest, await measure(round))
  return lowest
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
