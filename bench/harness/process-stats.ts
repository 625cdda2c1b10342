import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100

/** Resident memory now and at its peak since the process started, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peakRss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  return { rss: kib('VmRSS') * 1024, peakRss: kib('VmHWM') * 1024 }
}

/** CPU time the process has used so far (user + system), in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / TICKS_PER_SECOND
}

/**
 * Samples a process's RSS while a measurement runs: VmHWM is the peak since the process started,
 * but a scenario wants the peak during its own load, after whatever ran before it.
 */
export function sampleRss(pid: number, intervalMs = 20): { stop(): number } {
  let peak = memoryOf(pid).rss
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memoryOf(pid).rss)
    } catch {
      // The process ended: keep the peak seen so far.
    }
  }, intervalMs)
  return {
    stop: () => {
      clearInterval(timer)
      try {
        peak = Math.max(peak, memoryOf(pid).rss)
      } catch {}
      return peak
    },
  }
}
