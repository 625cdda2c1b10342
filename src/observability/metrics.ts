import type * as PromClient from 'prom-client'
import type { NotificationEvent, Operation } from '../operations/operation.ts'
import { changeOf, type OperationObserver } from '../operations/operation-changes.ts'
import type { Dialect, PoolStats } from '../storage/database.ts'
import { PACKAGE_VERSION } from '../version.ts'
import { Counter, Gauge, Histogram, Registry } from './prom-client.ts'

/**
 * Every metric of one server (docs/operations.md lists them), in a registry of its own so that
 * several apps in one process (the tests) never mix their counts. Hot paths call the plain methods
 * here; labelled children are looked up once and kept, so a request costs a map lookup and an
 * observe, not prom-client's label hashing.
 */
export interface Metrics {
  readonly registry: PromClient.Registry
  request(method: string, route: string | undefined, statusCode: number, seconds: number): void
  tokenRequest(grantType: string, version: string, outcome: string): void
  throttled(limit: string): void
  readonly answerCache: { hit(): void; miss(): void }
  /** A database statement starts; the answer is called when it ends. */
  statement(dialect: Dialect, sql: string): (error?: unknown) => void
  readonly operations: OperationObserver
  workerLag(seconds: number): void
  /** Where the gauges read at scrape time come from, once the store and the services exist. */
  watch(sources: GaugeSources): void
}

export interface GaugeSources {
  readonly dialect: Dialect
  poolStats(): PoolStats
  countInFlightBySteps(): Promise<{ stepId?: string; count: number }[]>
  answerCacheBytes(): number
}

export const METRIC_PREFIX = 'cloudpartner_'
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const STATEMENT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
/** Steps last from a fraction of a second (quick profile) to days (realistic, unscaled). */
const STEP_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14_400, 86_400, 259_200]
const VERB = /^\s*(select|insert|update|delete|with|begin|commit|rollback|savepoint|release|create|alter)\b/i

export function createMetrics(): Metrics {
  const registry = new Registry()
  const registers = [registry]
  const name = (suffix: string) => `${METRIC_PREFIX}${suffix}`
  let sources: GaugeSources | undefined

  new Gauge({
    name: name('build_info'),
    help: 'Always 1; the version of the server in its label.',
    labelNames: ['version'],
    registers,
  }).set({ version: PACKAGE_VERSION }, 1)

  const requests = new Histogram({
    name: name('http_request_duration_seconds'),
    help: 'HTTP requests answered, by method, route template (never the raw URL) and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: HTTP_BUCKETS,
    registers,
  })
  const tokens = new Counter({
    name: name('token_requests_total'),
    help: 'Token requests to the token service, by grant type, endpoint version and outcome (issued, or the Azure AD error).',
    labelNames: ['grant_type', 'version', 'outcome'],
    registers,
  })
  const throttled = new Counter({
    name: name('throttled_requests_total'),
    help: 'Requests refused by a rate limit (429), by the limit that refused them.',
    labelNames: ['limit'],
    registers,
  })
  const started = new Counter({
    name: name('publishing_operations_started_total'),
    help: 'Publishing operations started (publish, go-live) by this process.',
    labelNames: ['kind'],
    registers,
  })
  const finished = new Counter({
    name: name('publishing_operations_finished_total'),
    help: 'Publishing operations that stopped running, by the state they reached (waitingForPublisherReview, succeeded, failed, canceled).',
    labelNames: ['kind', 'outcome'],
    registers,
  })
  new Gauge({
    name: name('publishing_operations_in_flight'),
    help: 'Operations in flight in the whole database, by the step they are at (step="" between two steps).',
    labelNames: ['step'],
    registers,
    async collect() {
      this.reset()
      const counted = await sources?.countInFlightBySteps().catch(() => undefined)
      for (const row of counted ?? []) this.set({ step: row.stepId ?? '' }, row.count)
    },
  })
  const stepDurations = new Histogram({
    name: name('publishing_step_duration_seconds'),
    help: "Publishing steps that finished, by step and final status, from start to finish on the operation's clock.",
    labelNames: ['step', 'outcome'],
    buckets: STEP_BUCKETS,
    registers,
  })
  const lag = new Histogram({
    name: name('publishing_worker_lag_seconds'),
    help: 'How late the publishing worker advanced an operation after its next step fell due.',
    buckets: LAG_BUCKETS,
    registers,
  })
  const outbox = new Counter({
    name: name('outbox_messages_total'),
    help: 'Notification messages written to the outbox, by event.',
    labelNames: ['event'],
    registers,
  })
  const cacheHits = new Counter({
    name: name('offer_answer_cache_hits_total'),
    help: 'Retrieve-an-offer answers served from the answer cache.',
    registers,
  })
  const cacheMisses = new Counter({
    name: name('offer_answer_cache_misses_total'),
    help: 'Retrieve-an-offer answers rendered because the cache held none for the current stamp.',
    registers,
  })
  new Gauge({
    name: name('offer_answer_cache_bytes'),
    help: 'Bytes held by the answer cache (bodies and bookkeeping).',
    registers,
    collect() {
      this.set(sources?.answerCacheBytes() ?? 0)
    },
  })
  const statements = new Histogram({
    name: name('db_statement_duration_seconds'),
    help: 'Database statements, by backend and SQL verb.',
    labelNames: ['backend', 'verb'],
    buckets: STATEMENT_BUCKETS,
    registers,
  })
  const statementErrors = new Counter({
    name: name('db_statement_errors_total'),
    help: 'Database statements that failed, by backend and SQL verb.',
    labelNames: ['backend', 'verb'],
    registers,
  })
  new Gauge({
    name: name('db_pool_connections_in_use'),
    help: "Connections busy with a statement or a transaction (SQLite: its one writer's transaction).",
    labelNames: ['backend'],
    registers,
    collect() {
      this.reset()
      if (sources) this.set({ backend: sources.dialect }, sources.poolStats().inUse)
    },
  })
  new Gauge({
    name: name('db_pool_waiting'),
    help: 'Callers waiting for a connection (SQLite: units of work queued for the next transaction).',
    labelNames: ['backend'],
    registers,
    collect() {
      this.reset()
      if (sources) this.set({ backend: sources.dialect }, sources.poolStats().waiting)
    },
  })

  const requestChildren = new Map<string, PromClient.Histogram.Internal<string>>()
  const statementChildren = new Map<
    string,
    { duration: PromClient.Histogram.Internal<string>; errors: PromClient.Counter.Internal }
  >()

  return {
    registry,
    request(method, route, statusCode, seconds) {
      const key = `${method} ${statusCode} ${route}`
      let child = requestChildren.get(key)
      if (child === undefined) {
        child = requests.labels(method, route ?? 'unmatched', `${Math.floor(statusCode / 100)}xx`)
        requestChildren.set(key, child)
      }
      child.observe(seconds)
    },
    tokenRequest(grantType, version, outcome) {
      tokens.inc({ grant_type: grantType, version, outcome })
    },
    throttled(limit) {
      throttled.inc({ limit })
    },
    answerCache: { hit: () => cacheHits.inc(), miss: () => cacheMisses.inc() },
    statement(dialect, sql) {
      const verb = VERB.exec(sql)?.[1]?.toLowerCase() ?? 'other'
      const key = `${dialect} ${verb}`
      let child = statementChildren.get(key)
      if (child === undefined) {
        child = { duration: statements.labels(dialect, verb), errors: statementErrors.labels(dialect, verb) }
        statementChildren.set(key, child)
      }
      const { duration, errors } = child
      const start = performance.now()
      return (error) => {
        duration.observe((performance.now() - start) / 1000)
        if (error !== undefined) errors.inc()
      }
    },
    operations: {
      stored(before: Operation | undefined, after: Operation) {
        if (before === undefined) started.inc({ kind: after.kind })
        if ((before === undefined || before.state === 'running') && after.state !== 'running')
          finished.inc({ kind: after.kind, outcome: after.state })
        for (const step of changeOf(before, after).steps) {
          if (step.durationMs !== undefined)
            stepDurations.observe({ step: step.stepId, outcome: step.to }, step.durationMs / 1000)
        }
      },
      outboxMessage(event: NotificationEvent) {
        outbox.inc({ event })
      },
    },
    workerLag(seconds) {
      lag.observe(seconds)
    },
    watch(given) {
      sources = given
    },
  }
}
