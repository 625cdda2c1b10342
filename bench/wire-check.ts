import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.ts'
import { freePort } from './harness/processes.ts'
import { developmentToken } from './harness/token.ts'
import { seedStore } from './stores/seed-store.ts'

/**
 * `node bench/wire-check.ts <old tree> [new tree]`: the raw HTTP answers of two servers (e.g. a
 * copy of the commit before an optimisation, and this tree) for the same requests on the same store,
 * compared byte for byte: status line, headers, chunked framing and body. Only Date and
 * x-ms-request-id may differ. Exits 1 on any other difference.
 */
const LIST_SIZES = [0, 1, 50, 255, 256, 257, 511, 512, 513, 3000]
const API = 'api-version=2017-10-31'
const DISTINCT = [
  ...LIST_SIZES.map((size) => `/api/publishers/w-${size}/offers?${API}`),
  `/api/publishers/w-50/offers?${API}&$filter=status%20eq%20'succeeded'`,
  `/api/publishers/w-50/offers?${API}&$filter=offerTypeId%20eq%20'microsoft-azure-virtualmachines'`,
  `/api/publishers/w-vm/offers/offer-000000?${API}`,
  `/api/publishers/nobody/offers?${API}`,
]
/**
 * Each twice: a tree with answer caches answers the second from them. Then HEAD of a list read
 * whole, kept, and streamed (Fastify answers HEAD by running the GET's handler).
 */
const REQUESTS = [
  ...DISTINCT,
  ...DISTINCT,
  ...[`/api/publishers/w-50/offers?${API}`, `/api/publishers/w-513/offers?${API}`].map(
    (path) => `HEAD ${path}`,
  ),
]

const [oldTree, newTree = '.'] = process.argv.slice(2)
if (oldTree === undefined) throw new Error('usage: wire-check.ts <old tree> [new tree]')
const dataDir = mkdtempSync(join(tmpdir(), 'wire-check-'))
try {
  const db = openSqliteDatabase({ path: join(dataDir, 'cloudpartner.sqlite') })
  await seedStore(db, {
    name: 'wire-check',
    publishers: [
      ...LIST_SIZES.map((size) => ({ id: `w-${size}`, offers: size, kind: 'catalog' as const })),
      { id: 'w-vm', offers: 1, kind: 'full-vm' as const },
    ],
  })
  await db.close()
  const [before, after] = [await answers(resolve(oldTree)), await answers(resolve(newTree))]
  let different = 0
  REQUESTS.forEach((path, index) => {
    if (before[index] === after[index]) return
    different += 1
    console.log(`DIFFERENT: ${path}\n--- ${oldTree}\n${before[index]}\n--- ${newTree}\n${after[index]}`)
  })
  console.log(`${REQUESTS.length - different} of ${REQUESTS.length} answers identical`)
  process.exitCode = different === 0 ? 0 : 1
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}

async function answers(tree: string): Promise<string[]> {
  const port = await freePort()
  const server = spawn(
    process.execPath,
    ['src/cli/main.ts', 'serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'silent'],
    { cwd: tree, stdio: 'ignore' },
  )
  try {
    await ready(server, port)
    const token = await developmentToken(`http://127.0.0.1:${port}`)
    const raw: string[] = []
    for (const path of REQUESTS) raw.push(normalized(await rawAnswer(port, path, token)))
    return raw
  } finally {
    server.kill('SIGTERM')
  }
}

async function ready(server: ChildProcess, port: number): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 50))
  }
  throw new Error('the server did not become ready')
}

/** One request (a path, or `HEAD <path>`) on its own connection, the answer exactly as it came off the socket. */
function rawAnswer(port: number, request: string, token: string): Promise<string> {
  const [method, path] = request.startsWith('HEAD ') ? ['HEAD', request.slice(5)] : ['GET', request]
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          'x-ms-correlation-request-id: wire-check\r\nConnection: close\r\n\r\n',
      ),
    )
    const parts: Buffer[] = []
    socket.on('data', (part) => parts.push(part))
    socket.on('end', () => done(Buffer.concat(parts).toString('latin1')))
    socket.on('error', fail)
  })
}

function normalized(answer: string): string {
  return answer.replace(/^(date|x-ms-request-id): .*$/gim, '$1: (varies)')
}
