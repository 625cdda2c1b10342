import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BaselineRoute } from './baseline-server.ts'
import { type RunningProcess, startProcess } from './processes.ts'

export interface BenchOptions {
  /** A smoke run: short measurements, fewer repetitions. */
  readonly quick: boolean
  /** Run only the scenarios with these names (all when empty). */
  readonly only: readonly string[]
  /** Run the servers under --cpu-prof; the profiles land in the run directory. */
  readonly profile: boolean
  /** Rebuild the cached stores instead of reusing them. */
  readonly rebuild: boolean
  /** PostgreSQL server for the PostgreSQL scenarios (a database is created and dropped per run). */
  readonly postgresUrl: string
  /** The tree whose server is measured (default: this one), e.g. a copy of an older commit. */
  readonly serverDir: string
}

/** What every scenario gets: timings, a run directory, and how to start the processes it measures. */
export interface BenchContext {
  readonly options: BenchOptions
  readonly runDir: string
  readonly warmupSeconds: number
  /** Seconds of one measured round. */
  readonly loadSeconds: number
  /** Rounds of each comparison; the best is kept (see compare.ts). */
  readonly rounds: number
  log(line: string): void
  /** The real server on a data directory (or a database URL), logging at its default level. */
  startServer(
    name: string,
    store: { dataDir: string } | { databaseUrl: string; masterKey: string },
    extraArgs?: readonly string[],
    env?: Readonly<Record<string, string>>,
  ): Promise<RunningProcess>
  /** The bare Fastify baseline answering each body at its path. */
  startBaseline(
    name: string,
    routes: readonly { path: string; contentType: string; body: Buffer }[],
  ): Promise<RunningProcess>
}

export function createBenchContext(
  options: BenchOptions,
  runDir: string,
  log: (line: string) => void,
): BenchContext {
  mkdirSync(join(runDir, 'logs'), { recursive: true })
  let sequence = 0
  const nextName = (name: string) => {
    sequence += 1
    return `${String(sequence).padStart(2, '0')}-${name}`
  }
  return {
    options,
    runDir,
    warmupSeconds: options.quick ? 1 : 2,
    loadSeconds: options.quick ? 2 : 5,
    rounds: options.quick ? 1 : 3,
    log,
    startServer: (name, store, extraArgs = [], env = {}) => {
      const label = nextName(name)
      const profileArgs = options.profile
        ? ['--cpu-prof', `--cpu-prof-dir=${join(runDir, 'profiles', label)}`]
        : []
      const storeArgs =
        'dataDir' in store ? ['--data-dir', store.dataDir] : ['--database-url', store.databaseUrl]
      return startProcess({
        cwd: options.serverDir,
        args: [
          ...profileArgs,
          ...startCommand(options.serverDir),
          '--host',
          '127.0.0.1',
          '--port',
          '{port}',
          ...storeArgs,
          ...extraArgs,
        ],
        readyPath: '/health/ready',
        logFile: join(runDir, 'logs', `${label}.log`),
        env: 'masterKey' in store ? { ...env, CLOUDPARTNER_MASTER_KEY: store.masterKey } : env,
      })
    },
    startBaseline: (name, routes) => {
      const label = nextName(`baseline-${name}`)
      const manifest: BaselineRoute[] = routes.map((route, index) => {
        const bodyFile = join(runDir, 'logs', `${label}-${index}.body`)
        writeFileSync(bodyFile, route.body)
        return { path: route.path, contentType: route.contentType, bodyFile }
      })
      const manifestFile = join(runDir, 'logs', `${label}.json`)
      writeFileSync(manifestFile, JSON.stringify(manifest))
      return startProcess({
        args: ['bench/harness/baseline-server.ts', manifestFile, '{port}'],
        readyPath: '/ready',
        logFile: join(runDir, 'logs', `${label}.log`),
      })
    },
  }
}

/**
 * What `npm start` runs in that tree, without npm in between: the Node flags and the script (e.g.
 * `--max-semi-space-size=8 bin/cloudpartner.js serve`), so that the bench measures the server as users
 * start it, with the flags of that tree (an older tree's start script had none).
 */
export function startCommand(serverDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8')) as {
    scripts?: { start?: string }
  }
  const start = manifest.scripts?.start ?? ''
  const [node, ...words] = start.trim().split(/\s+/)
  if (node !== 'node' || words.at(-1) !== 'serve' || words.some((word) => /["'$`\\]/.test(word)))
    throw new Error(`${serverDir}/package.json: the start script is not a plain \`node … serve\`: ${start}`)
  return words
}
