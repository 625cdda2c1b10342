import { OperationFailedError } from './errors.ts'
import { type HttpClient, parseJson } from './http/http-client.ts'
import { parseRetryAfter } from './http/retry.ts'
import { currentStep, type OperationProgress, outcomeOf } from './operation-progress.ts'
import type { Runtime } from './runtime.ts'
import type { OperationDetail } from './types.ts'

export interface WaitOptions {
  /** Called after every poll, the last one included. */
  readonly onProgress?: (progress: OperationProgress) => void
  /** Stops waiting (not the operation: call `cancel()` for that). */
  readonly signal?: AbortSignal
  /**
   * Between polls. Default 5 s. A `Retry-After` on the operation's answer is honoured instead.
   * The real service's steps take hours to days: poll it every few minutes.
   */
  readonly pollIntervalMs?: number
  /**
   * Default true: an operation that ends `failed` or `canceled` rejects with OperationFailedError.
   * False resolves with its last state instead.
   */
  readonly throwOnFailure?: boolean
}

export interface CancelOptions {
  readonly signal?: AbortSignal
  /** Who to tell, comma-separated or a list (ignored for offers migrated to Partner Center). */
  readonly notificationEmails?: string | readonly string[]
}

/** What a cancel answered. */
export interface CancelResult {
  /** The operation the service named (the canceled one, or the latest when nothing was canceled). */
  readonly location: string | undefined
  /** Whether the answer was 200 (canceled); false for 202. */
  readonly canceled: boolean
}

/** What a publish, go-live or cancel started: where its operation is, and which offer it acts on. */
export interface OperationRef {
  /** The relative URL the service answered in `Location` (and `Operation-Location`). */
  readonly location: string
  readonly publisherId: string
  readonly offerId: string
  /** `publish` or `goLive` when this SDK started it; undefined for an operation found by its URL. */
  readonly kind: 'publish' | 'goLive' | undefined
}

export interface OperationDeps {
  readonly http: HttpClient
  readonly runtime: Runtime
  readonly cancel: (publisherId: string, offerId: string, options: CancelOptions) => Promise<CancelResult>
}

/**
 * A long-running publishing operation: the handle `offers.publish()` and `offers.goLive()` return.
 * It polls the operation's `Location` (reference §9.3).
 *
 * @example
 * const operation = await client.offers.publish('contoso', 'my-offer')
 * const detail = await operation.wait({
 *   onProgress: ({ step }) => console.log(step?.name, step?.progressPercentage),
 *   signal: AbortSignal.timeout(30 * 60_000),
 * })
 */
export class Operation implements OperationRef {
  readonly location: string
  readonly publisherId: string
  readonly offerId: string
  readonly kind: 'publish' | 'goLive' | undefined
  readonly #deps: OperationDeps

  constructor(ref: OperationRef, deps: OperationDeps) {
    this.location = ref.location
    this.publisherId = ref.publisherId
    this.offerId = ref.offerId
    this.kind = ref.kind
    this.#deps = deps
  }

  /** The absolute URL polled. */
  get url(): string {
    return this.#deps.http.url(this.location).toString()
  }

  /** The operation as it stands now (reference E11/E12). */
  async get(options: { signal?: AbortSignal } = {}): Promise<OperationDetail> {
    return (await this.#poll(options.signal)).detail
  }

  /**
   * Polls until the operation succeeds (`complete`, `completed` or `succeeded`), fails or is
   * canceled. A publish succeeds when its version reached the Preview slot and waits for go-live.
   */
  async wait(options: WaitOptions = {}): Promise<OperationDetail> {
    const { runtime } = this.#deps
    const interval = options.pollIntervalMs ?? 5000
    const started = runtime.now()
    for (;;) {
      options.signal?.throwIfAborted()
      const { detail, retryAfterMs } = await this.#poll(options.signal)
      const outcome = outcomeOf(detail.status)
      options.onProgress?.({ detail, outcome, step: currentStep(detail), elapsedMs: runtime.now() - started })
      if (outcome === 'succeeded') return detail
      if (outcome !== 'running') {
        if (options.throwOnFailure ?? true)
          throw new OperationFailedError({ detail, location: this.location })
        return detail
      }
      await runtime.sleep(retryAfterMs ?? interval, options.signal)
    }
  }

  /**
   * Cancels the offer's operation in progress (`POST …/cancel`; the API cancels by offer). A publish
   * can be canceled while it runs or waits for go-live; a go-live cannot: `canceled` is then false
   * (or, from a server started with --strict-cancel, a 409 OperationNotCancelable is thrown).
   */
  async cancel(options: CancelOptions = {}): Promise<CancelResult> {
    return this.#deps.cancel(this.publisherId, this.offerId, options)
  }

  async #poll(signal: AbortSignal | undefined): Promise<{ detail: OperationDetail; retryAfterMs?: number }> {
    const response = await this.#deps.http.send({ method: 'GET', path: this.location, signal })
    const detail = parseJson<OperationDetail>(response, 'GET')
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#deps.runtime.now())
    return retryAfterMs === undefined ? { detail } : { detail, retryAfterMs }
  }
}

/**
 * The publisher and offer an operation URL names: `/api/operations/{p}${o}${n}${slot}` or
 * `/api/publishers/{p}/offers/{o}/operations/{id}` (reference E11, E12), relative or absolute.
 */
export function parseOperationLocation(location: string): { publisherId: string; offerId: string } {
  const path = new URL(location, 'http://host.invalid').pathname
  const migrated = /\/api\/publishers\/([^/]+)\/offers\/([^/]+)\/operations\/[^/]+\/?$/.exec(path)
  if (migrated?.[1] && migrated[2]) {
    return { publisherId: decodeURIComponent(migrated[1]), offerId: decodeURIComponent(migrated[2]) }
  }
  const submission = /\/api\/operations\/([^/]+)\/?$/.exec(path)?.[1]
  const parts = submission === undefined ? [] : decodeURIComponent(submission).split('$')
  if (parts.length === 4 && parts[0] && parts[1]) return { publisherId: parts[0], offerId: parts[1] }
  throw new TypeError(`'${location}' is not an operation URL of the CPP API`)
}
