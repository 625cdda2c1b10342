import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { turnBufferedDestination } from '../../src/http/log-destination.ts'

function tempFile(t: { after(fn: () => void): void }): { path: string; fd: number } {
  const dir = mkdtempSync(join(tmpdir(), 'log-destination-'))
  const path = join(dir, 'log')
  const fd = openSync(path, 'a')
  t.after(() => {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  })
  return { path, fd }
}

test('the lines of a turn are written together, in order, once the turn has ended', async (t) => {
  const { path, fd } = tempFile(t)
  const destination = turnBufferedDestination(fd)
  destination.write('one\n')
  destination.write('two\n')
  destination.write('three\n')
  assert.equal(readFileSync(path, 'utf8'), '', 'nothing written while the turn runs')
  await nextTurn()
  assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\nthree\n')
  destination.write('four\n')
  destination.flushSync()
  assert.equal(readFileSync(path, 'utf8'), 'one\ntwo\nthree\nfour\n', 'flushSync writes at once')
})

test('a process that exits in the middle of a turn writes the lines of that turn first', () => {
  const script = `
    import { turnBufferedDestination } from ${JSON.stringify(new URL('../../src/http/log-destination.ts', import.meta.url).href)}
    const destination = turnBufferedDestination(1)
    destination.write('answered before the crash\\n')
    process.exit(3)
  `
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(child.status, 3, child.stderr)
  assert.equal(child.stdout, 'answered before the crash\n')
})

test('an uncaught error still writes the lines of its turn', () => {
  const script = `
    import { turnBufferedDestination } from ${JSON.stringify(new URL('../../src/http/log-destination.ts', import.meta.url).href)}
    const destination = turnBufferedDestination(1)
    destination.write('the last request\\n')
    throw new Error('a bug')
  `
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.notEqual(child.status, 0)
  assert.equal(child.stdout, 'the last request\n')
})
