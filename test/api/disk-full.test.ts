import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { isStorageFull } from '../../src/errors/storage-full.ts'
import { openStores } from '../../src/stores.ts'
import { API, startTestApp } from '../helpers/test-app.ts'

const canMount = process.getuid?.() === 0 && process.platform === 'linux'

/**
 * A full disk answered a generic 500 while readiness said 200. Here the SQLite store lives on a
 * 4 MB tmpfs that a file fills: writes are refused with 507 in the envelope, logged once, readiness
 * reports it, and writes resume by themselves once the file is removed. Mounting needs root (CI's
 * container runs as root); elsewhere only the mapping test below runs.
 */
test('a full disk: 507 in the envelope, logged once, readiness 503, writes resume when space is back', {
  skip: canMount ? false : 'mounting a tmpfs needs root on Linux',
}, async (t) => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'cloudpartner-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' })
  } catch (error) {
    // Root without CAP_SYS_ADMIN (an unprivileged container): the mapping test below still runs.
    rmSync(mountPoint, { recursive: true, force: true })
    t.skip(`cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]}`)
    return
  }
  t.after(() => {
    execFileSync('umount', ['-l', mountPoint])
    rmSync(mountPoint, { recursive: true, force: true })
  })
  const config = loadConfig({}, { 'data-dir': join(mountPoint, 'data'), 'log-level': 'silent' })
  const stores = await openStores(config)
  t.after(() => stores.close())
  const lines: string[] = []
  const logger = {
    level: 'info',
    stream: { write: (line: string) => lines.push(line) },
  }
  const ctx = await startTestApp(t, { stores, logger })
  const principal = await ctx.createPrincipal()
  await ctx.createPublisher('contoso')
  await ctx.grant(principal, 'contoso')
  const authorization = `Bearer ${await ctx.tokenFor(principal)}`
  const put = (id: string) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/api/publishers/contoso/offers/${id}${API}`,
      headers: { authorization },
      payload: {
        offerTypeId: 'microsoft-azure-virtualmachines',
        definition: { displayText: 'Fills the disk', offer: { padding: 'x'.repeat(200_000) }, plans: [] },
      },
    })
  assert.equal((await put('before')).statusCode, 200)

  // Fill what is left, then write until the disk refuses.
  const filler = join(mountPoint, 'filler')
  try {
    writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024))
  } catch {
    // ENOSPC: the file holds what fitted.
  }
  const refusals = []
  for (let i = 0; i < 5; i++) {
    const answer = await put(`full-${i}`)
    if (answer.statusCode === 507) refusals.push(answer)
    else assert.equal(answer.statusCode, 200, answer.body)
  }
  assert.ok(refusals.length >= 2, 'the disk refused writes')
  for (const answer of refusals) {
    assert.equal(answer.json().error.code, 'InsufficientStorage')
    assert.match(answer.json().error.message, /disk is full/)
  }
  assert.equal(lines.filter((line) => line.includes('the disk is full')).length, 1, 'logged once')
  const ready = await ctx.app.inject({ url: '/health/ready' })
  assert.equal(ready.statusCode, 503)
  assert.match(ready.json().message, /full/)
  // Reads go on.
  assert.equal(
    (await ctx.app.inject({ url: `/api/publishers/contoso/offers/before${API}`, headers: { authorization } }))
      .statusCode,
    200,
  )

  unlinkSync(filler)
  assert.equal((await put('after')).statusCode, 200)
  assert.equal((await ctx.app.inject({ url: '/health/ready' })).statusCode, 200)
  assert.equal(lines.filter((line) => line.includes('the disk has space')).length, 1)
})

test('a full disk is recognised from SQLite, PostgreSQL and the file system', () => {
  const sqlite = Object.assign(new Error('database or disk is full'), {
    code: 'ERR_SQLITE_ERROR',
    errcode: 13,
  })
  const postgres = Object.assign(new Error('could not extend file'), { code: '53100' })
  const fileSystem = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
  for (const error of [sqlite, postgres, fileSystem]) assert.equal(isStorageFull(error), true, error.message)
  assert.equal(isStorageFull(Object.assign(new Error('locked'), { errcode: 5 })), false)
  assert.equal(isStorageFull(undefined), false)
})
