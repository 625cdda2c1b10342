import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { cleanEnv, tempDir } from '../helpers/cli-process.ts'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const BIN = fileURLToPath(new URL('bin/cloudpartner.js', root))

/** The flags bin/cloudpartner.js gives the server, read from its source (importing it would run it). */
const SERVER_NODE_FLAGS = JSON.parse(
  (/^const SERVER_NODE_FLAGS = (\[[^\]]*\])$/m.exec(read('bin/cloudpartner.js'))?.[1] ?? '').replaceAll(
    "'",
    '"',
  ),
) as string[]

test('npm start and the Dockerfile start the server with the Node flags of bin/cloudpartner.js', () => {
  assert.ok(SERVER_NODE_FLAGS.length > 0)
  const manifest = JSON.parse(read('package.json')) as { scripts: { start: string } }
  assert.equal(manifest.scripts.start, `node ${SERVER_NODE_FLAGS.join(' ')} bin/cloudpartner.js serve`)
  const cmd = ['node', ...SERVER_NODE_FLAGS, 'bin/cloudpartner.js', 'serve'].map((word) => `"${word}"`)
  assert.ok(
    read('Dockerfile')
      .split('\n')
      .includes(`CMD [${cmd.join(', ')}]`),
    'the Dockerfile CMD',
  )
})

/** `node bin/cloudpartner.js serve`: its command line once it listens, then its exit on SIGTERM. */
async function serveThroughBin(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: cleanEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let stderr = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 30 s:\n${stderr}`)), 30_000)
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      if (/listening on http/.test(stderr)) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(() => reject(new Error(`exited before listening:\n${stderr}`)))
  })
  const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')
  child.kill('SIGTERM')
  return { commandLine, code: await exited, stderr: () => stderr }
}

test('`cloudpartner serve` without the flags starts again with them, as the same process', {
  skip: process.platform !== 'linux' && 'reads /proc',
}, async (t) => {
  const dir = await tempDir(t)
  const served = await serveThroughBin(`${dir}/data`)
  assert.deepEqual(served.commandLine.slice(1, 1 + SERVER_NODE_FLAGS.length), SERVER_NODE_FLAGS)
  assert.equal(served.code, 0, 'SIGTERM reaches the restarted process: exit 0')
  assert.match(served.stderr(), /Closed\.\n$/)

  // A value the user chose (here through NODE_OPTIONS) is left as it is; the other flags are added.
  const chosen = await serveThroughBin(`${dir}/data`, { NODE_OPTIONS: '--max-semi-space-size=16' })
  const others = SERVER_NODE_FLAGS.filter((flag) => !flag.startsWith('--max-semi-space-size'))
  assert.deepEqual(chosen.commandLine.slice(1, 3 + others.length), [...others, BIN, 'serve'])
  assert.equal(chosen.code, 0)
})
