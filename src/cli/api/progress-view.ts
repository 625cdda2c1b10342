import type { CurrentStep, OperationProgress } from '../../sdk/index.ts'
import type { CliIo } from '../cli-io.ts'
import type { Terminal } from '../terminal.ts'
import { type Style, visibleLength } from './style.ts'

/**
 * How `--wait` shows an operation's progress, on stderr (stdout keeps the result for scripts): on a
 * terminal, one line redrawn in place with the step, a bar, its percentage and the time elapsed,
 * and a line kept for each step done; elsewhere, a plain line whenever something changes.
 */
export interface ProgressView {
  update(progress: OperationProgress): void
  /**
   * Writes nothing until resume(): a question is using the line, and anything written would land
   * on it. Steps finished meanwhile are shown on resume (or stop).
   */
  pause(): void
  resume(): void
  /** Clears the live line for good; the caller prints the outcome. */
  stop(): void
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'
const REDRAW_MS = 200

export function createProgressView(
  io: CliIo,
  terminal: Terminal,
  style: Style,
  now: () => number = Date.now,
): ProgressView {
  return terminal.stderrIsTty ? liveView(io, terminal, style, now) : plainView(io, now)
}

function liveView(io: CliIo, terminal: Terminal, style: Style, now: () => number): ProgressView {
  const started = now()
  let latest: OperationProgress | undefined
  let paused = false
  let frame = 0
  const reported = new Set<string>()
  /** Lines held back while paused. */
  let held: string[] = []

  const clear = () => io.err('\r\u001b[2K')
  const draw = () => {
    if (paused) return
    frame = (frame + 1) % SPINNER.length
    clear()
    io.err(liveLine(latest?.step, now() - started, SPINNER[frame] ?? ' ', terminal.columns(), style))
  }
  const flush = () => {
    for (const line of held) io.err(line)
    held = []
  }
  const timer = setInterval(draw, REDRAW_MS)
  timer.unref()
  draw()

  return {
    update(progress) {
      latest = progress
      const current = progress.step?.index ?? -1
      // Steps done before the current one stay on screen, each once.
      progress.detail.steps.forEach((step, index) => {
        if (index >= current || step.status !== 'complete' || reported.has(step.id)) return
        reported.add(step.id)
        const line = `${style.green('✔')} ${step.stepName}\n`
        if (paused) held.push(line)
        else {
          clear()
          io.err(line)
        }
      })
      draw()
    },
    pause() {
      paused = true
      clear()
    },
    resume() {
      paused = false
      flush()
      draw()
    },
    stop() {
      clearInterval(timer)
      if (!paused) clear()
      // The question is closed by now (waitForOperation closes it first): what it held back shows.
      flush()
    },
  }
}

/** `⠙ Certification (2/6) [██████░░░░░░░░░░░░]  31%  0:07`, fitted to the terminal's width. */
export function liveLine(
  step: CurrentStep | undefined,
  elapsedMs: number,
  spinner: string,
  columns: number,
  style: Style,
): string {
  const elapsed = formatElapsed(elapsedMs)
  if (step === undefined) return `${style.cyan(spinner)} Waiting for the operation…  ${style.dim(elapsed)}`
  const percent = `${String(step.progressPercentage).padStart(3)}%`
  const place = `(${step.index + 1}/${step.count})`
  const state = step.status === 'inProgress' ? '' : `  ${describeStepStatus(step.status)}`
  const fixed = visibleLength(`${spinner}  ${place} [] ${percent}  ${elapsed}${state}`) + 1
  const room = Math.max(0, columns - fixed)
  // The name first (shortened only to leave a 10-column bar), the bar takes what is left, up to 24.
  const name = truncate(step.name, Math.max(8, room - 10))
  const barWidth = Math.max(0, Math.min(24, room - name.length))
  const filled = Math.round((barWidth * step.progressPercentage) / 100)
  const bar = barWidth > 0 ? ` [${style.green('█'.repeat(filled))}${'░'.repeat(barWidth - filled)}]` : ''
  return `${style.cyan(spinner)} ${style.bold(name)} ${place}${bar} ${percent}  ${style.dim(elapsed)}${state}`
}

function plainView(io: CliIo, now: () => number): ProgressView {
  const started = now()
  let last = ''
  return {
    update(progress) {
      const { step } = progress
      // A line per change of step or state, and per quarter of a step's progress: enough for a log.
      const key = `${progress.outcome}|${step?.id}|${step?.status}|${Math.floor((step?.progressPercentage ?? 0) / 25)}`
      if (key === last) return
      last = key
      const at = `[${formatElapsed(now() - started)}]`
      if (step === undefined) {
        io.err(`${at} ${progress.detail.status}\n`)
        return
      }
      io.err(
        `${at} ${step.name} (${step.index + 1}/${step.count}): ${describeStepStatus(step.status)}, ${step.progressPercentage}%\n`,
      )
    },
    pause: () => undefined,
    resume: () => undefined,
    stop: () => undefined,
  }
}

function describeStepStatus(status: string): string {
  switch (status) {
    case 'inProgress':
      return 'in progress'
    case 'waitingForPublisherReview':
      return 'waiting for go-live'
    case 'waitingForApproval':
      return 'waiting for approval'
    case 'notStarted':
      return 'not started'
    default:
      return status
  }
}

/** `0:07`, `12:30`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`
}
