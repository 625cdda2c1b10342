import { writeSync } from 'node:fs'

/** How long to wait before writing again when the reader of a non-blocking pipe is behind. */
const BUSY_RETRY_MS = 1

/**
 * Where the server's log lines go by default (standard output), written once per turn of the event
 * loop instead of once per line: the lines of the requests answered in one turn are written
 * together, by one `write` system call, right after the turn's I/O callbacks (setImmediate). A
 * system call per line cost more than making the line (docs/performance.md, "Fourth round: the
 * fixed cost of a request").
 *
 * What a crash may lose: the lines of the current turn, only when the process is killed outright
 * (SIGKILL, the kernel's OOM killer, a fatal V8 error). Every exit that runs JavaScript (`exit`:
 * the end of a graceful shutdown, close-with-grace's exit after an uncaught error, `process.exit`)
 * writes them first. Writes are synchronous, as pino's default destination's are: a line is
 * never held back by a slow reader, which stalls the server instead (as before).
 */
export interface LogDestination {
  write(line: string): void
  /** Writes what is pending now (tests, and the exit). */
  flushSync(): void
}

let standardOutput: LogDestination | undefined

/** The process's one standard output destination (one exit listener, however many apps it builds). */
export function standardOutputLog(): LogDestination {
  standardOutput ??= turnBufferedDestination(1)
  return standardOutput
}

export function turnBufferedDestination(fd: number): LogDestination {
  let pending = ''
  let scheduled = false
  // A reader that went away (EPIPE) ends the logging, as pino's own destination does; the server
  // goes on. Any other failure to write is thrown, as it was.
  let closed = false

  const flushSync = () => {
    scheduled = false
    if (pending === '') return
    const text = pending
    pending = ''
    if (closed) return
    try {
      writeFully(fd, Buffer.from(text))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
      closed = true
    }
  }
  process.once('exit', flushSync)

  return {
    write(line) {
      pending += line
      if (scheduled) return
      scheduled = true
      setImmediate(flushSync)
    },
    flushSync,
  }
}

/** The whole buffer, across partial writes and a pipe that is momentarily full (EAGAIN). */
function writeFully(fd: number, buffer: Buffer): void {
  let offset = 0
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_RETRY_MS)
    }
  }
}
