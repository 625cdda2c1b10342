import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Clock } from '../clock.ts'
import type { Stores } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { ConcurrentUpdateError, storeTransition } from './apply-transition.ts'
import { isDue, transition } from './operation-transitions.ts'

/**
 * Advances publishing operations whose next step is due: one per process, started after the server
 * listens. Each operation's due transitions are one transaction, stored only if the operation's row
 * version is still the one read, so a transition never runs twice, even when replicas race or a process is
 * killed half-way: what committed is kept, what did not is done again by the next pass.
 *
 * Tests drive it with `runOnce()` against a manual clock; the server lets it schedule itself.
 */
export interface PublishingWorker {
  /** One pass: every due transition at the clock's now. Answers how many were stored. */
  runOnce(): Promise<number>
  /** Runs passes by itself: when something falls due, and at least every `pollIntervalMs`. */
  start(): void
  /** Stops scheduling and waits for the pass in progress. */
  stop(): Promise<void>
  /** Something changed (a publish, a go-live, a CLI command): run a pass soon. */
  wake(): void
}

export interface WorkerLog {
  error(object: unknown, message: string): void
}

export interface WorkerOptions {
  readonly stores: Stores
  readonly clock: Clock
  readonly log: WorkerLog
  /** Also picks up what other processes (the CLI, other replicas) changed. */
  readonly pollIntervalMs?: number
  /** How long a claim protects an operation from other workers; a crashed worker's lapses. */
  readonly leaseMs?: number
}

const BATCH = 50
const MAX_ROUNDS = 20

export function createPublishingWorker(options: WorkerOptions): PublishingWorker {
  const { stores, clock, log } = options
  const pollIntervalMs = options.pollIntervalMs ?? 1000
  const leaseMs = options.leaseMs ?? 5000
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  let started = false
  let timer: NodeJS.Timeout | undefined
  let pass: Promise<unknown> | undefined
  let again = false

  async function runOnce(): Promise<number> {
    let applied = 0
    const failed = new Set<string>()
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = clock.now()
      const claimed = await stores.operations.claimDue(
        formatTimestamp(now),
        owner,
        formatTimestamp(new Date(now.getTime() + leaseMs)),
        BATCH,
      )
      const fresh = claimed.filter((id) => !failed.has(id))
      if (fresh.length === 0) break
      // All at once: on SQLite their transactions share commits (one fsync for the batch), on
      // PostgreSQL they run on the pool's connections side by side.
      const results = await Promise.all(fresh.map((id) => advanceDue(id)))
      for (const [index, result] of results.entries()) {
        applied += result.applied
        if (result.failed) failed.add(fresh[index] as string)
      }
    }
    return applied
  }

  /**
   * Applies every transition of one operation that is due now, in one transaction: the tick and
   * whatever falls due right after it (see `settle`).
   */
  async function advanceDue(id: string): Promise<{ applied: number; failed: boolean }> {
    let applied = 0
    try {
      const now = clock.now()
      applied = await stores.transaction(async (set) => {
        const current = await set.operations.findOperation(id)
        if (!current || !isDue(current, now)) return 0
        const next = transition(current, { type: 'tick' }, now)
        if (!('operation' in next)) return 0
        return (await storeTransition(set, current, next, now)).transitions
      })
      return { applied, failed: false }
    } catch (error) {
      // Someone else stored this transition first: theirs stands, and the next pass looks again.
      if (error instanceof ConcurrentUpdateError) return { applied, failed: false }
      log.error({ err: error, operationId: id }, 'publishing worker could not advance an operation')
      return { applied, failed: true }
    } finally {
      // A stored transition cleared the lease with it; only an operation left as it was keeps one.
      if (applied === 0) await stores.operations.releaseLease(id, owner).catch(() => undefined)
    }
  }

  function schedule(delayMs: number): void {
    if (!started) return
    clearTimeout(timer)
    timer = setTimeout(runPass, Math.max(0, delayMs))
    timer.unref()
  }

  function runPass(): void {
    if (pass) {
      again = true
      return
    }
    pass = (async () => {
      try {
        do {
          again = false
          await runOnce()
        } while (again && started)
        const due = await stores.operations.nextDueTime()
        const untilDue = due === undefined ? pollIntervalMs : Date.parse(due) - clock.now().getTime()
        return Math.min(pollIntervalMs, untilDue)
      } catch (error) {
        log.error({ err: error }, 'publishing worker pass failed; retrying')
        return pollIntervalMs
      }
    })().then((delay) => {
      pass = undefined
      schedule(delay)
    })
  }

  return {
    runOnce,
    start() {
      if (started) return
      started = true
      schedule(0)
    },
    async stop() {
      started = false
      clearTimeout(timer)
      await pass
    },
    wake() {
      if (started) schedule(0)
    },
  }
}
