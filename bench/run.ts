import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type BenchOptions, createBenchContext } from './harness/bench-context.ts'
import { REPO_ROOT } from './harness/processes.ts'
import { formatTable, type ResultRow } from './harness/results.ts'
import { hostileBodiesScenario } from './scenarios/hostile-bodies.ts'
import { largestBodiesScenario } from './scenarios/largest-bodies.ts'
import { peersScenario } from './scenarios/peers.ts'
import { postgresScenario } from './scenarios/postgres.ts'
import { publishingScenario } from './scenarios/publishing.ts'
import { readsScenario } from './scenarios/reads.ts'
import { scaleScenario } from './scenarios/scale.ts'
import type { Scenario } from './scenarios/scenario.ts'
import { startupScenario } from './scenarios/startup.ts'
import { telemetryScenario } from './scenarios/telemetry.ts'
import { BENCH_DIR } from './stores/store-cache.ts'

/**
 * `npm run bench [-- --quick] [-- --only reads,scale] [-- --profile] [-- --rebuild]`: every scenario
 * in one invocation, each against the baseline measured in the same run. Results: the table on
 * stdout, and JSON and Markdown under .bench/runs/<time>/ (also copied to .bench/latest.*).
 */
const KEPT_RUNS = 5

const SCENARIOS: readonly Scenario[] = [
  readsScenario,
  peersScenario,
  telemetryScenario,
  scaleScenario,
  startupScenario,
  publishingScenario,
  postgresScenario,
  hostileBodiesScenario,
  largestBodiesScenario,
]

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'server-dir': { type: 'string', default: REPO_ROOT },
  },
})
const options: BenchOptions = {
  quick: values.quick,
  only: values.only?.split(',').filter(Boolean) ?? [],
  profile: values.profile,
  rebuild: values.rebuild,
  postgresUrl: values['postgres-url'],
  serverDir: resolve(values['server-dir']),
}
const unknown = options.only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name))
if (unknown.length > 0) {
  console.error(
    `Unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`,
  )
  process.exit(2)
}

const started = new Date()
const runsDir = join(BENCH_DIR, 'runs')
const runDir = join(runsDir, started.toISOString().replaceAll(':', '-'))
mkdirSync(runDir, { recursive: true })
// A full run leaves ~100 MB of server logs (two lines per request): keep the last few runs only.
for (const old of readdirSync(runsDir).sort().slice(0, -KEPT_RUNS)) {
  rmSync(join(runsDir, old), { recursive: true, force: true })
}
const log = (line: string) =>
  console.error(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`)
const ctx = createBenchContext(options, runDir, log)
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, server ${options.serverDir === REPO_ROOT ? `commit ${gitCommit()}` : options.serverDir}, load average at start ${loadavg()[0]?.toFixed(2)}`
log(`${machine}; run directory ${runDir}`)

const pressureAtStart = cpuPressure()
const rows: ResultRow[] = []
let failed = false
for (const scenario of SCENARIOS) {
  if (options.only.length > 0 && !options.only.includes(scenario.name)) continue
  log(`scenario ${scenario.name}`)
  try {
    rows.push(...(await scenario.run(ctx)))
  } catch (error) {
    failed = true
    log(`scenario ${scenario.name} failed: ${(error as Error).stack ?? String(error)}`)
    rows.push({
      benchmark: scenario.name,
      target: '',
      note: `failed: ${(error as Error).message.split('\n')[0]}`,
    })
  }
}

const table = formatTable(rows)
const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1)
// Time in which some runnable task waited for a CPU: other work on the machine shows here.
const pressureAtEnd = cpuPressure()
const contention =
  pressureAtStart === undefined || pressureAtEnd === undefined
    ? ''
    : `; CPU pressure over the run ${((100 * (pressureAtEnd - pressureAtStart)) / (Date.now() - started.getTime()) / 1000).toFixed(0)} %`
const markdown = `Run of ${started.toISOString()}${options.quick ? ' (--quick)' : ''}, ${minutes} min; ${machine}; at the end ${loadavg()[0]?.toFixed(2)}${contention}.\n\n${table}\n`
writeFileSync(join(runDir, 'results.md'), markdown)
writeFileSync(
  join(runDir, 'results.json'),
  `${JSON.stringify({ started, options, machine, rows }, null, 2)}\n`,
)
writeFileSync(join(BENCH_DIR, 'latest.md'), markdown)
writeFileSync(
  join(BENCH_DIR, 'latest.json'),
  `${JSON.stringify({ started, options, machine, rows }, null, 2)}\n`,
)
console.log(markdown)
process.exitCode = failed ? 1 : 0

/** Microseconds in which runnable tasks waited for a CPU since boot (Linux PSI), when available. */
function cpuPressure(): number | undefined {
  try {
    const some = /^some .* total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))
    return some ? Number(some[1]) : undefined
  } catch {
    return undefined
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim()
    const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: REPO_ROOT }).toString().trim()
    return dirty ? `${commit} + uncommitted changes in src/` : commit
  } catch {
    return 'unknown'
  }
}
