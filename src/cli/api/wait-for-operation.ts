import { CppApiError, type Operation, type OperationDetail, outcomeOf } from '../../sdk/index.ts'
import { UsageError } from '../cli-errors.ts'
import type { ApiContext } from './api-command.ts'
import { isLoopback } from './connection.ts'
import { API_EXIT } from './exit-codes.ts'
import { createProgressView } from './progress-view.ts'

/** The flags of `publish` and `golive` that wait. */
export const WAIT_OPTIONS = {
  wait: { type: 'boolean' },
  'poll-interval': { type: 'string' },
  timeout: { type: 'string' },
} as const

export const WAIT_HELP = [
  '  --wait                          Wait for the operation to end, showing its progress on stderr:',
  '                                  a live bar on a terminal, plain lines otherwise. Ctrl-C asks',
  '                                  whether to cancel the operation (on a terminal); elsewhere it',
  '                                  stops waiting and leaves the operation running (exit 130).',
  '  --poll-interval <seconds>       Between polls. Default: 2 on a loopback endpoint, else 30.',
  '  --timeout <seconds>             Stop waiting after this long (exit 1); the operation goes on.',
]

export type WaitResult =
  | { readonly kind: 'ended'; readonly detail: OperationDetail }
  | { readonly kind: 'stopped'; readonly code: number }

/**
 * Waits for an operation with a progress view, and lets Ctrl-C cancel it after asking. Answers its
 * last state, or the exit code when waiting stopped first (Ctrl-C, --timeout).
 */
export async function waitForOperation(
  context: ApiContext,
  operation: Operation,
  { pollIntervalMs, timeoutMs }: WaitSettings,
): Promise<WaitResult> {
  const { io, terminal, errStyle } = context
  const view = createProgressView(io, terminal, errStyle)
  const stopWaiting = new AbortController()
  const closePrompt = new AbortController()
  const interactive = terminal.stdinIsTty && terminal.stderrIsTty
  let latest: OperationDetail | undefined
  let prompting = false
  let interrupted = false
  const follow = `cloudpartner offers status ${operation.publisherId} ${operation.offerId}`

  const stop = () => {
    interrupted = true
    stopWaiting.abort()
  }
  const askWhatToDo = async () => {
    prompting = true
    view.pause()
    const cancelable = latest?.cancellationRequestState !== 'cannotCancel'
    const answer = await terminal.ask(
      cancelable
        ? 'Cancel the operation? [y/N] '
        : 'This operation cannot be canceled. Stop waiting (it goes on)? [y/N] ',
      closePrompt.signal,
    )
    prompting = false
    if (closePrompt.signal.aborted) return
    // Ctrl-C at the question (or stdin closed): stop waiting, touch nothing.
    if (answer === undefined) return stop()
    if (!/^\s*y(es)?\s*$/i.test(answer)) return view.resume()
    if (!cancelable) return stop()
    io.err('Canceling the operation…\n')
    try {
      await operation.cancel()
    } catch (error) {
      if (!(error instanceof CppApiError)) throw error
      io.err(`cloudpartner: ${error.code}: ${error.message}\n`)
    }
    view.resume()
  }
  const unsubscribe = terminal.onInterrupt(() => {
    if (prompting) return
    if (!interactive) return stop()
    askWhatToDo().catch((error: unknown) => {
      io.err(`cloudpartner: ${error instanceof Error ? error.message : String(error)}\n`)
      stop()
    })
  })

  // The question first, so that its line is ended before the view shows what it held back.
  let ended = false
  const endWaiting = () => {
    if (ended) return
    ended = true
    unsubscribe()
    closePrompt.abort()
    view.stop()
  }

  const signals = [stopWaiting.signal, ...(timeoutMs === undefined ? [] : [AbortSignal.timeout(timeoutMs)])]
  try {
    const detail = await operation.wait({
      onProgress: (progress) => {
        latest = progress.detail
        view.update(progress)
      },
      signal: AbortSignal.any(signals),
      pollIntervalMs,
      throwOnFailure: false,
    })
    endWaiting()
    return { kind: 'ended', detail }
  } catch (error) {
    endWaiting()
    if (interrupted) {
      io.err(`Stopped waiting; the operation goes on. Follow it with: ${follow}\n`)
      return { kind: 'stopped', code: API_EXIT.interrupted }
    }
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      io.err(
        `cloudpartner: stopped waiting after ${(timeoutMs ?? 0) / 1000} s; the operation goes on. Follow it with: ${follow}\n`,
      )
      return { kind: 'stopped', code: API_EXIT.failed }
    }
    throw error
  }
}

/** The exit code of an operation that ended: 0 success, 3 failed or canceled. */
export function exitCodeOf(detail: OperationDetail): number {
  return outcomeOf(detail.status) === 'succeeded' ? API_EXIT.ok : API_EXIT.operationFailed
}

export interface WaitSettings {
  readonly pollIntervalMs: number
  readonly timeoutMs: number | undefined
}

/** The wait flags, checked before anything is sent: a typo must not leave a publish unwatched. */
export function readWaitSettings(context: Pick<ApiContext, 'values' | 'connection'>): WaitSettings {
  return {
    pollIntervalMs:
      seconds(context.values['poll-interval'], 'poll-interval') ??
      (isLoopback(context.connection.endpoint) ? 2000 : 30_000),
    timeoutMs: seconds(context.values.timeout, 'timeout'),
  }
}

function seconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`--${name} must be a positive number of seconds, not '${String(value)}'`)
  }
  return Math.round(number * 1000)
}
