import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Clock } from '../clock.ts'
import type { Stores } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { ConcurrentUpdateError, storeTransition } from './apply-transition.ts'
import type { Operation } from './operation.ts'
import { changeOf } from './operation-changes.ts'
import { isDue, transition } from './operation-transitions.ts'
import type { ClaimedOperation } from './operations.store.ts'

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

/** Transitions at info, retries and lease takeovers at warn (docs/operations.md, log fields). */
export interface WorkerLog {
  info(object: unknown, message: string): void
  warn(object: unknown, message: string): void
  error(object: unknown, message: string): void
}

/** What watches the worker (src/observability/); each is optional and costs nothing when absent. */
export interface WorkerObservers {
  /** How late due work ran: from when it fell due to when this worker advanced it, in seconds. */
  lag?(seconds: number): void
  /** Runs the advance of one operation inside a trace span. */
  span?<T>(name: string, attributes: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>
}

export interface WorkerOptions {
  readonly stores: Stores
  readonly clock: Clock
  readonly log: WorkerLog
  /** Also picks up what other processes (the CLI, other replicas) changed. */
  readonly pollIntervalMs?: number
  /** How long a claim protects an operation from other workers; a crashed worker's lapses. */
  readonly leaseMs?: number
  readonly observers?: WorkerObservers
}

const BATCH = 50
const MAX_ROUNDS = 20

export function createPublishingWorker(options: WorkerOptions): PublishingWorker {
  const { stores, clock, log } = options
  const observers = options.observers ?? {}
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
      const fresh = claimed.filter((claim) => !failed.has(claim.id))
      if (fresh.length === 0) break
      for (const claim of fresh) if (claim.takenOverFrom !== undefined) logTakeover(claim)
      // All at once: on SQLite their transactions share commits (one fsync for the batch), on
      // PostgreSQL they run on the pool's connections side by side.
      const results = await Promise.all(fresh.map((claim) => traced(claim.id)))
      for (const [index, result] of results.entries()) {
        applied += result.applied
        if (result.failed) failed.add((fresh[index] as ClaimedOperation).id)
      }
    }
    return applied
  }

  /**
   * Applies every transition of one operation that is due now, in one transaction: the tick and
   * whatever falls due right after it (see `settle`).
   */
  function traced(id: string): Promise<{ applied: number; failed: boolean }> {
    const { span } = observers
    return span
      ? span('publishing.advance', { 'cloudpartner.operation.id': id }, () => advanceDue(id))
      : advanceDue(id)
  }

  async function advanceDue(id: string): Promise<{ applied: number; failed: boolean }> {
    let applied = 0
    try {
      const now = clock.now()
      const stored = await stores.transaction(async (set) => {
        const current = await set.operations.findOperation(id)
        if (!current || !isDue(current, now)) return undefined
        const next = transition(current, { type: 'tick' }, now)
        if (!('operation' in next)) return undefined
        const { operation, transitions } = await storeTransition(set, current, next, now)
        return { before: current, after: operation, transitions }
      })
      if (stored) {
        applied = stored.transitions
        logTransitions(stored.before, stored.after)
        if (observers.lag && stored.before.nextDueTime !== undefined)
          observers.lag(Math.max(0, now.getTime() - Date.parse(stored.before.nextDueTime)) / 1000)
      }
      return { applied, failed: false }
    } catch (error) {
      // Someone else stored this transition first: theirs stands, and the next pass looks again.
      if (error instanceof ConcurrentUpdateError) {
        log.warn(
          { operationId: id },
          'publishing worker lost a race for an operation; the next pass looks again',
        )
        return { applied, failed: false }
      }
      log.warn({ err: error, operationId: id }, 'publishing worker could not advance an operation; retrying')
      return { applied, failed: true }
    } finally {
      // A stored transition cleared the lease with it; only an operation left as it was keeps one.
      if (applied === 0) await stores.operations.releaseLease(id, owner).catch(() => undefined)
    }
  }

  /** One line per step that moved, and one when the operation itself changed state. */
  function logTransitions(before: Operation, after: Operation): void {
    const change = changeOf(before, after)
    const about = { operationId: after.id, publisherId: after.publisherId, offerId: after.offerId }
    for (const step of change.steps) {
      log.info(
        { ...about, step: step.stepId, from: step.from, to: step.to, durationMs: step.durationMs },
        `publishing step ${step.stepId}: ${step.from ?? 'new'} → ${step.to}`,
      )
    }
    if (change.from !== change.to)
      log.info(
        { ...about, from: change.from, to: change.to },
        `publishing operation: ${change.from} → ${change.to}`,
      )
  }

  function logTakeover(claim: ClaimedOperation): void {
    log.warn(
      { operationId: claim.id, previousOwner: claim.takenOverFrom, owner },
      "publishing worker took over an operation whose worker's lease had lapsed",
    )
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
        log.warn({ err: error }, 'publishing worker pass failed; retrying')
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
