import type { OperationStep, OperationTiming } from './operation.ts'
import type { PipelineStep } from './pipelines.ts'

/**
 * How long each automatic step runs in the quick profile: long enough that a client which lists the
 * submissions right after its publish or go-live finds the operation `running` (Garden Linux's glci
 * takes the running one's id), short enough that a VM offer is at sign-off in 2 s and live 0.5 s later.
 */
export const QUICK_STEP_MS = 500

/**
 * How long a step runs under a profile. `quick`: QUICK_STEP_MS each; `instant`: no time at all;
 * `realistic`: the documented duration times the scale; `manual`: undefined, the step waits until an
 * administrator advances it.
 */
export function stepDurationMs(timing: OperationTiming, step: PipelineStep): number | undefined {
  switch (timing.profile) {
    case 'quick':
      return QUICK_STEP_MS
    case 'instant':
      return 0
    case 'realistic':
      return Math.round(step.durationMs * timing.timeScale)
    case 'manual':
      return undefined
  }
}

/**
 * Progress of a step as the reference shows it (0–100). Derived at read time from the step's start and
 * due times, so nothing is written while a step merely runs; a running step shows at most 99.
 */
export function progressPercentage(step: OperationStep, now: Date): number {
  if (step.status === 'complete') return 100
  if (step.startedTime === undefined || step.dueTime === undefined) return 0
  const start = Date.parse(step.startedTime)
  const due = Date.parse(step.dueTime)
  const end = step.finishedTime === undefined ? now.getTime() : Date.parse(step.finishedTime)
  if (due <= start) return 0
  const ratio = Math.floor(((end - start) / (due - start)) * 100)
  return Math.max(0, Math.min(99, ratio))
}
