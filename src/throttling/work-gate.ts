/**
 * At most `concurrency` pieces of expensive work (scrypt hashes) at once, the rest queued, with a
 * bounded queue. Two lanes: callers with no recent failures go before callers that have been
 * sending wrong secrets, so that an attack cannot hold legitimate callers behind it in the queue.
 * A full queue refuses at once (the caller answers 429) rather than piling up requests and memory.
 */
export type Lane = 'trusted' | 'suspect'

export interface WorkGate {
  /** Runs `work` when a slot is free; undefined (nothing run) when the queue is full. */
  run<T>(lane: Lane, work: () => Promise<T>): Promise<T | undefined>
  /** Work running and waiting now (for tests and metrics). */
  readonly load: { readonly running: number; readonly waiting: number }
}

export function createWorkGate(concurrency: number, maxWaiting: number): WorkGate {
  let running = 0
  const queues: Record<Lane, (() => void)[]> = { trusted: [], suspect: [] }
  const waiting = () => queues.trusted.length + queues.suspect.length

  function release(): void {
    const next = queues.trusted.shift() ?? queues.suspect.shift()
    if (next) next()
    else running -= 1
  }

  return {
    async run(lane, work) {
      if (running >= concurrency) {
        if (waiting() >= maxWaiting) return undefined
        // The slot is handed over by release(): `running` stays counted for the next in line.
        await new Promise<void>((resolve) => queues[lane].push(resolve))
      } else {
        running += 1
      }
      try {
        return await work()
      } finally {
        release()
      }
    },
    get load() {
      return { running, waiting: waiting() }
    },
  }
}
