import { execFileSync, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startCommand } from './harness/bench-context.ts'
import { cleanEnv, freePort } from './harness/processes.ts'
import { developmentToken } from './harness/token.ts'
import { API_VERSION } from './scenarios/scenario.ts'
import { cachedStore, copyStore } from './stores/store-cache.ts'
import { LIST_PUBLISHER, SMALL_STORE, VM_OFFER, VM_PUBLISHER } from './stores/store-plans.ts'

/**
 * `node bench/instructions.ts <tree> [tree …] [--requests 500] [--warmup 1500] [--concurrency 1]`:
 * machine instructions per request of each tree's server, counted by Valgrind's callgrind on the
 * same calls as bench/ab.ts. The server runs under callgrind (all its threads) as `npm start`
 * starts it, plus V8's `--single-threaded`, on its own copy of the reads store; each call is warmed
 * up, the counters are zeroed (`callgrind_control -z`), `--requests` answers are taken, and the
 * counters dumped. Meant as a load-independent measure, it is not a precise one for this server:
 * two runs of the same tree differed by 15–45 % per call (docs/performance.md, "Fourth round: the
 * fixed cost of a request"),
 * as when V8 optimizes and collects depends on the run. Compare trees with differences well beyond
 * that, or run each tree several times; it does not see system calls' time in the kernel either.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
    // Keeps the run's directory (callgrind's dumps, for callgrind_annotate) and prints where it is.
    keep: { type: 'boolean', default: false },
  },
})
const trees = positionals.map((tree) => resolve(tree))
if (trees.length === 0) throw new Error('usage: instructions.ts <tree> [tree …] [--requests n]')
const requests = Number(values.requests)
const warmup = Number(values.warmup)
const concurrency = Number(values.concurrency)
const CALLS: Record<string, string> = {
  'list-50': `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}`,
  'list-50 $filter': `/api/publishers/${LIST_PUBLISHER}/offers?${API_VERSION}&$filter=status%20eq%20'neverPublished'`,
  'get-vm': `/api/publishers/${VM_PUBLISHER}/offers/${VM_OFFER}?${API_VERSION}`,
  '/health/live': '/health/live',
}
const calls = Object.entries(CALLS).filter(
  ([name]) => values.only === undefined || values.only.split(',').includes(name),
)

const work = mkdtempSync(join(tmpdir(), 'cpp-instructions-'))
const store = await cachedStore(SMALL_STORE, { rebuild: false, log: (line) => console.error(line) })
const results = new Map<string, number>()
try {
  for (const [index, tree] of trees.entries()) {
    const dir = join(work, `tree-${index}`)
    const server = await startUnderCallgrind(tree, copyStore(store, join(dir, 'store')), dir)
    try {
      const token = await developmentToken(server.url)
      const headers = { authorization: `Bearer ${token}` }
      for (const [name, path] of calls) {
        await fire(server.url, path, headers, warmup)
        callgrind(['-z', String(server.pid)])
        await fire(server.url, path, headers, requests)
        const total = dumpedInstructions(server.pid, dir)
        results.set(`${name}\n${index}`, total / requests)
        console.error(`${tree} ${name}: ${(total / requests).toFixed(0)} instructions per request`)
      }
    } finally {
      await server.stop()
    }
  }
  console.log(`| Call | ${trees.map((tree) => `${tree}: instructions per request`).join(' | ')} |`)
  console.log(`| --- | ${trees.map(() => '---').join(' | ')} |`)
  for (const [name] of calls) {
    const cells = trees.map((_tree, index) =>
      Math.round(results.get(`${name}\n${index}`) ?? Number.NaN).toLocaleString('en'),
    )
    console.log(`| ${name} | ${cells.join(' | ')} |`)
  }
} finally {
  if (values.keep) console.error(`dumps kept in ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

interface Server {
  readonly pid: number
  readonly url: string
  stop(): Promise<void>
}

async function startUnderCallgrind(tree: string, dataDir: string, dir: string): Promise<Server> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const log = openSync(join(dir, 'server.log'), 'a')
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      // V8 writes and rewrites machine code at run time.
      '--smc-check=all-non-file',
      `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
      process.execPath,
      // V8's compiler and GC threads and their timing otherwise vary with the wall time, which
      // valgrind stretches by the machine's load: on the main thread, the count repeats.
      '--single-threaded',
      ...startCommand(tree),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    { cwd: tree, stdio: ['ignore', log, log], env: cleanEnv() },
  )
  closeSync(log)
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null)
      throw new Error(`${tree}: the server exited:\n${readFileSync(join(dir, 'server.log'), 'utf8')}`)
    if (Date.now() - started > 600_000) throw new Error(`${tree}: not ready after 10 minutes`)
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200))
  }
  return {
    pid: child.pid as number,
    url,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** `count` answers of `path`, `concurrency` at a time over keep-alive connections; each must be 2xx. */
async function fire(
  base: string,
  path: string,
  headers: Record<string, string>,
  count: number,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  let started = 0
  const one = (): Promise<void> =>
    new Promise((done, fail) => {
      const call = request(`${base}${path}`, { agent, headers }, (response) => {
        response.resume()
        response.once('end', () =>
          response.statusCode !== undefined && response.statusCode < 300
            ? done()
            : fail(new Error(`${path}: ${response.statusCode}`)),
        )
      })
      call.once('error', fail)
      call.end()
    })
  const lane = async () => {
    while (started < count) {
      started += 1
      await one()
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, lane))
  } finally {
    agent.destroy()
  }
}

function callgrind(args: string[]): string {
  return execFileSync('callgrind_control', args, { encoding: 'utf8' })
}

/** Dumps the counters since the last zeroing and answers their total of instructions (Ir). */
function dumpedInstructions(pid: number, dir: string): number {
  const before = new Set(readdirSync(dir))
  callgrind(['-d', String(pid)])
  const dump = readdirSync(dir).find((file) => file.startsWith('callgrind.out') && !before.has(file))
  if (dump === undefined) throw new Error('callgrind wrote no dump')
  const text = readFileSync(join(dir, dump), 'utf8')
  const totals = /^(?:totals|summary): (\d+)/m.exec(text)
  if (!totals) throw new Error(`${dump}: no totals`)
  return Number(totals[1])
}
