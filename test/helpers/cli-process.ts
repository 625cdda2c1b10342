import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCli as runCliInProcess } from '../../src/cli/run-cli.ts'

/**
 * Drives `cloudpartner` as real processes: the pinned Node (process.execPath under `npm test`) on
 * src/cli/main.ts, each in a temporary directory. Every wait is bounded, and every process a test
 * starts is killed when the test ends.
 */
export const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const WAIT_MS = 30_000

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface CliResult extends Exit {
  readonly stdout: string
  readonly stderr: string
}

/** A fresh directory under the OS temp dir, removed when the test ends. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudpartner-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Variables of the test's environment that would change what the CLI does or how it looks. */
const OWN_SETTINGS = new Set(['NODE_TEST_CONTEXT', 'NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS'])

/** The environment of the test, without settings of its own that would change what the CLI does. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CLOUDPARTNER_') && !OWN_SETTINGS.has(name)) env[name] = value
  }
  return { ...env, ...extra }
}

/**
 * Runs one CLI command in this process (src/cli/run-cli.ts) with its output captured: for commands
 * that need no server process of their own (help, profiles, completion, making an assertion).
 */
export async function runCliHere(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io = {
    out: (text: string) => {
      stdout += text
    },
    err: (text: string) => {
      stderr += text
    },
    env: cleanEnv(env),
  }
  return { code: await runCliInProcess(args, io), stdout, stderr }
}

/** Runs one CLI command to its end. */
export async function runCli(
  t: TestContext,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  const child = spawnCli(t, args, options)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const exit = await bounded(exitOf(child), `cloudpartner ${args.join(' ')} did not exit`)
  return { ...exit, stdout, stderr }
}

export interface ServerProcess {
  readonly child: ChildProcess
  /** Where it listens, from its welcome message. */
  readonly url: string
  stdout(): string
  stderr(): string
  /** Waits until the stream has printed text matching the pattern. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>
  readonly exited: Promise<Exit>
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>
}

/** Starts `cloudpartner serve` on any free port and waits until it says where it listens. */
export async function startServe(
  t: TestContext,
  options: { cwd: string; dataDir: string; args?: readonly string[]; env?: Record<string, string> },
): Promise<ServerProcess> {
  const child = spawnCli(
    t,
    ['serve', '--port', '0', '--data-dir', options.dataDir, '--log-level', 'info', ...(options.args ?? [])],
    options,
  )
  const text = { stdout: '', stderr: '' }
  const listeners = new Set<() => void>()
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (chunk: Buffer) => {
      text[stream] += chunk.toString('utf8')
      for (const listener of listeners) listener()
    })
  }
  const exited = exitOf(child)
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    bounded(
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = text[stream].match(pattern)
          if (match) {
            listeners.delete(check)
            resolve(match)
          }
        }
        listeners.add(check)
        check()
        void exited.then((exit) => {
          if (!listeners.has(check)) return
          listeners.delete(check)
          reject(
            new Error(
              `the server exited (${JSON.stringify(exit)}) before printing ${pattern}:\n${text.stderr}`,
            ),
          )
        })
      }),
      `the server did not print ${pattern}; stderr so far:\n${text.stderr}`,
    )
  const [, url = ''] = await waitFor('stderr', /listening on (http:\/\/\S+)/)
  return {
    child,
    url,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor,
    exited,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal)
      return bounded(exited, 'the server did not exit')
    },
  }
}

function spawnCli(
  t: TestContext,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = exitOf(child)
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  return child
}

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
}

async function bounded<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${WAIT_MS / 1000}s`)), WAIT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
