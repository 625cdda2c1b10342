import type { FastifyBaseLogger } from 'fastify'

/** SQLite's SQLITE_FULL (13), PostgreSQL's disk_full (53100), and the file system's ENOSPC. */
export function isStorageFull(error: unknown): boolean {
  const { errcode, code, message } = (error ?? {}) as { errcode?: unknown; code?: unknown; message?: unknown }
  if (errcode === 13 || code === '53100' || code === 'ENOSPC') return true
  return typeof message === 'string' && /database or disk is full|No space left on device/i.test(message)
}

/** How long readiness reports a full disk after the last write it refused, unless a write succeeds. */
const READINESS_WINDOW_MS = 30_000

/**
 * Whether the disk is full, as the writes find it: the first refused write of an episode is logged
 * (at error), the others are not; the first write that succeeds ends the episode (logged at info).
 * Readiness reports the episode for 30 s after the last refusal, then lets traffic try again: a
 * server taken out of rotation would otherwise never see the write that tells it space is back.
 */
export class StorageFullState {
  #lastRefusalMs: number | undefined
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  refused(log: FastifyBaseLogger, error: unknown): void {
    if (this.#lastRefusalMs === undefined) {
      log.error({ err: error }, 'the disk is full: writes are refused with 507 until space is freed')
    }
    this.#lastRefusalMs = this.#now()
  }

  succeeded(log: FastifyBaseLogger): void {
    if (this.#lastRefusalMs === undefined) return
    this.#lastRefusalMs = undefined
    log.info('a write succeeded again: the disk has space')
  }

  get inEpisode(): boolean {
    return this.#lastRefusalMs !== undefined
  }

  /** For readiness: a refusal this recent means the server cannot take writes. */
  get full(): boolean {
    return this.#lastRefusalMs !== undefined && this.#now() - this.#lastRefusalMs < READINESS_WINDOW_MS
  }
}
