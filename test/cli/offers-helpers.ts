import { execFile, spawnSync } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import {
  CLI_MAIN,
  type CliResult,
  cleanEnv,
  runCli,
  type ServerProcess,
  startServe,
  tempDir,
} from '../helpers/cli-process.ts'

const execFileAsync = promisify(execFile)

export interface OffersServer {
  readonly server: ServerProcess
  readonly dir: string
  readonly dataDir: string
  /** Runs `cloudpartner <args>` pointed at the server through CLOUDPARTNER_ENDPOINT. */
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>
}

/**
 * `cloudpartner serve` on a free port over a new data directory (development mode: the development
 * principal and contoso's sample offers), and a way to run the CLI against it.
 */
export async function startOffersServer(
  t: TestContext,
  serveArgs: readonly string[] = [],
): Promise<OffersServer> {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const server = await startServe(t, { cwd: dir, dataDir, args: serveArgs })
  return {
    server,
    dir,
    dataDir,
    cli: (args, env = {}) =>
      runCli(t, args, { cwd: dir, env: { CLOUDPARTNER_ENDPOINT: server.url, ...env } }),
  }
}

/** The CLI with a document on stdin. */
export function runCliWithInput(
  args: readonly string[],
  input: string,
  options: { cwd: string; env: Record<string, string> },
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    input,
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0
}

export interface TerminalSession {
  /** The screen as text (wrapped lines joined); with escapes, the colours too. */
  screen(options?: { escapes?: boolean }): Promise<string>
  /** Waits until the screen matches, up to 30 s. */
  waitFor(pattern: RegExp): Promise<string>
  /** Sends keys, as tmux send-keys names them: 'C-c', 'y', 'Enter'. */
  keys(...keys: string[]): Promise<void>
  /** Waits for the command to exit and answers its exit status. */
  exitStatus(): Promise<number>
}

/**
 * The pane's first process: runs the command as its child in the same process group (so Ctrl-C
 * reaches it), ignores SIGINT itself, and writes the child's exit status to a file. tmux's own
 * record of a pane's exit status proved unreliable (tmux 3.3a sometimes never reaps the process).
 */
const RECORDER = `import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
const [statusFile, command, ...args] = process.argv.slice(2)
process.on('SIGINT', () => undefined)
const child = spawn(command, args, { stdio: 'inherit' })
child.on('exit', (code, signal) => {
  writeFileSync(statusFile, code === null ? \`signal \${signal}\` : String(code))
  process.exit(code ?? 1)
})
`

/**
 * Runs one command in a pseudo-terminal of its own: a tmux server on a private socket, 100×30,
 * no shell in between, the screen kept after the command exits. The server is killed when the
 * test ends.
 */
export async function inTerminal(
  t: TestContext,
  command: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<TerminalSession> {
  const name = `cloudpartner-test-${process.pid}-${Math.random().toString(36).slice(2)}`
  // Not in the test's directory, which may be gone before the server is killed.
  const socket = join(tmpdir(), `${name}.sock`)
  const config = join(options.cwd, `${name}.conf`)
  const recorder = join(options.cwd, `${name}.mjs`)
  const statusFile = join(options.cwd, `${name}.status`)
  await writeFile(config, 'set -g remain-on-exit on\nset -g history-limit 1000\n')
  await writeFile(recorder, RECORDER)
  const env = cleanEnv({ ...options.env, TERM: 'xterm-256color' })
  delete env.TMUX
  const tmux = async (...args: string[]) =>
    (await execFileAsync('tmux', ['-S', socket, ...args], { env })).stdout
  // Registered before the session starts, so it runs before the directory holding the files goes.
  t.after(async () => {
    await tmux('kill-server').catch(() => undefined)
    await rm(socket, { force: true })
  })
  await tmux(
    '-f',
    config,
    'new-session',
    '-d',
    '-s',
    'cli',
    '-x',
    '100',
    '-y',
    '30',
    '-c',
    options.cwd,
    process.execPath,
    recorder,
    statusFile,
    ...command,
  )
  const screen = (opts: { escapes?: boolean } = {}) =>
    tmux('capture-pane', '-p', '-J', ...(opts.escapes ? ['-e'] : []), '-t', 'cli')
  const poll = async <T>(check: () => Promise<T | undefined>, what: () => Promise<string>): Promise<T> => {
    const deadline = Date.now() + 30_000
    for (;;) {
      const found = await check()
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error(`${await what()}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    screen,
    waitFor: (pattern) =>
      poll(
        async () => {
          const text = await screen()
          return pattern.test(text) ? text : undefined
        },
        async () => `the terminal never showed ${pattern}; it shows:\n${await screen()}`,
      ),
    keys: async (...keys) => {
      await tmux('send-keys', '-t', 'cli', ...keys)
    },
    exitStatus: () =>
      poll(
        async () => {
          const status = await readFile(statusFile, 'utf8').catch(() => undefined)
          return status === undefined ? undefined : Number(status)
        },
        async () => `the command did not exit; the terminal shows:\n${await screen()}`,
      ),
  }
}

/** `cloudpartner <args>` as a terminal runs it. */
export function cliCommand(...args: string[]): string[] {
  return [process.execPath, CLI_MAIN, ...args]
}
