import { errors } from '../../errors/errors.ts'
import type { EventStream } from './event-stream.ts'

/**
 * The open live streams of one process, bounded: each holds a socket, a heartbeat timer and a
 * watch, so a principal may hold only a few at once (a tab each; a browser keeps at most six
 * connections to one server over HTTP/1.1 anyway), and the process only so many in all. A stream
 * refused falls back to polling in the page (assets/portal.js). When the app closes, every stream
 * is ended first, or the server would wait for them to end by themselves.
 */
export interface LiveStreams {
  /**
   * Opens a stream for `principalKey` through `open`, or throws the ApiError that refuses it (429
   * for a principal at its limit, 503 for a process at its own) before anything is sent.
   */
  admit(principalKey: string, open: () => EventStream): EventStream
  /** Ends every open stream. */
  closeAll(): void
  /** Streams open now, in all. */
  readonly open: number
}

export const STREAMS_PER_PRINCIPAL = 4
export const STREAMS_PER_PROCESS = 1000

export function createLiveStreams(
  limits: { readonly perPrincipal: number; readonly perProcess: number } = {
    perPrincipal: STREAMS_PER_PRINCIPAL,
    perProcess: STREAMS_PER_PROCESS,
  },
): LiveStreams {
  const streams = new Set<EventStream>()
  const byPrincipal = new Map<string, number>()

  return {
    admit(principalKey, open) {
      const held = byPrincipal.get(principalKey) ?? 0
      if (held >= limits.perPrincipal) throw errors.tooManyLiveStreams(held)
      if (streams.size >= limits.perProcess) throw errors.liveStreamsFull()
      const stream = open()
      streams.add(stream)
      byPrincipal.set(principalKey, held + 1)
      stream.onClose(() => {
        streams.delete(stream)
        const left = (byPrincipal.get(principalKey) ?? 1) - 1
        if (left > 0) byPrincipal.set(principalKey, left)
        else byPrincipal.delete(principalKey)
      })
      return stream
    },
    closeAll() {
      for (const stream of [...streams]) stream.close()
    },
    get open() {
      return streams.size
    },
  }
}
