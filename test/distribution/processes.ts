import { type ChildProcess, spawn } from 'node:child_process'
import { delimiter, dirname } from 'node:path'
import type { TestContext } from 'node:test'
import { ROOT } from '../helpers/import-graph.ts'

/**
 * Commands of the distribution tests, run as a user outside this repository would run them: the
 * environment without the repository's node_modules/.bin (npm scripts put it on PATH) and without
 * any CLOUDPARTNER_ setting, with the pinned Node 24 first on PATH unless `node` says otherwise.
 * Every wait is bounded; every process still running when its test ends is killed.
 */
export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

export const NODE_24_DIR = dirname(process.execPath)

export function userEnv(
  options: { nodeDir?: string; extra?: Record<string, string> } = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('CLOUDPARTNER_') || name.startsWith('npm_') || name === 'NODE_TEST_CONTEXT') continue
    if (name === 'NODE_OPTIONS' || name === 'NODE_PATH' || name === 'INIT_CWD') continue
    env[name] = value
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.startsWith(ROOT))
  env.PATH = [options.nodeDir ?? NODE_24_DIR, ...path].join(delimiter)
  return { ...env, ...options.extra }
}

export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string },
): Promise<Run> {
  const started = performance.now()
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? userEnv(),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (options.input !== undefined) child.stdin?.end(options.input)
  const output = collect(child)
  const timeoutMs = options.timeoutMs ?? 120_000
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (exitCode) => resolve(exitCode))
  }).finally(() => clearTimeout(timer))
  return { code, ...output(), ms: Math.round(performance.now() - started) }
}

/** Runs a command that must succeed; its output is in the error otherwise. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: Parameters<typeof run>[2],
): Promise<Run> {
  const result = await run(command, args, options)
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`)
  return result
}

export interface Started {
  readonly child: ChildProcess
  output(): { stdout: string; stderr: string }
  /** Resolves with the first match of `pattern` in stderr + stdout, or rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** SIGTERM to the command and everything it started; resolves when its output ends. */
  stop(): Promise<number | null>
}

export function start(
  t: TestContext,
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Started {
  // A process group of its own: npx runs the command through a shell and does not pass signals on,
  // so the whole group is signalled, the server with it.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? userEnv(),
    stdio: 'pipe',
    detached: true,
  })
  const output = collect(child)
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal)
    } catch {
      // The group has ended.
    }
  }
  t.after(async () => {
    signalGroup('SIGKILL')
    await closed
  })
  return {
    child,
    output,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs
        const check = () => {
          const { stdout, stderr } = output()
          const match = `${stderr}\n${stdout}`.match(pattern)
          if (match) return resolve(match)
          if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline)
            return reject(new Error(`${command} did not print ${pattern}:\n${stdout}\n${stderr}`))
          setTimeout(check, 50)
        }
        check()
      }),
    stop: () => {
      signalGroup('SIGTERM')
      return closed
    },
  }
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  return () => ({ stdout, stderr })
}
