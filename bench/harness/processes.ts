import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const READY_TIMEOUT_MS = 120_000
const STOP_TIMEOUT_MS = 15_000

export interface RunningProcess {
  readonly pid: number
  readonly url: string
  /** Milliseconds from spawn to the first successful readiness answer. */
  readonly readyMs: number
  readonly logFile: string
  /** SIGTERM, then SIGKILL if it has not exited within 15 s. Answers the exit code. */
  stop(): Promise<number | null>
}

export interface ProcessSpec {
  /** Arguments after the Node binary: Node flags, then the script and its arguments (`{port}` is replaced). */
  readonly args: readonly string[]
  /** Answers 200 once the process is ready. */
  readonly readyPath: string
  /** Sent with the readiness request (a mock server that wants a bearer token on every path). */
  readonly readyHeaders?: Readonly<Record<string, string>>
  /** stdout and stderr go here: the server's info-level logs are part of what it costs. */
  readonly logFile: string
  readonly env?: Readonly<Record<string, string>>
  /** Working directory; the script path is relative to it. Default: this repository. */
  readonly cwd?: string
}

/**
 * Starts a Node process (the server, or the baseline) on a free loopback port and waits until it is
 * ready. The Node binary is the one running the bench (the pinned Node 24), started directly: npx
 * or npm in between would add their own start-up to the measured time and hide the PID.
 */
export async function startProcess(spec: ProcessSpec): Promise<RunningProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const log = openSync(spec.logFile, 'a')
  const started = performance.now()
  const child = spawn(
    process.execPath,
    spec.args.map((arg) => arg.replace('{port}', String(port))),
    { cwd: spec.cwd ?? REPO_ROOT, stdio: ['ignore', log, log], env: { ...cleanEnv(), ...spec.env } },
  )
  closeSync(log)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const readyMs = await waitReady(
    child,
    `${url}${spec.readyPath}`,
    spec.readyHeaders ?? {},
    started,
    spec.logFile,
  )
  return {
    pid: child.pid as number,
    url,
    readyMs,
    logFile: spec.logFile,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** The environment without the server's own settings and Node options, so that every setting is explicit. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('CLOUDPARTNER_') || key === 'NODE_OPTIONS') continue
    env[key] = value
  }
  return env
}

async function waitReady(
  child: ChildProcess,
  url: string,
  headers: Readonly<Record<string, string>>,
  started: number,
  logFile: string,
): Promise<number> {
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url}: the process exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`)
    }
    try {
      const response = await fetch(url, { headers })
      await response.arrayBuffer()
      if (response.status === 200) return performance.now() - started
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  child.kill('SIGKILL')
  throw new Error(`${url}: not ready after ${READY_TIMEOUT_MS} ms:\n${tail(logFile)}`)
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')
}

/** A port nobody listens on now; the process binds it a moment later (loopback only, so no one races us). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
