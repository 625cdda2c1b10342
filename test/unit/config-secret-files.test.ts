import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../src/config.ts'

test('secrets from files: *_FILE names the file, its trailing newline dropped; the variable itself wins', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudpartner-secrets-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const key = randomBytes(32).toString('base64')
  const url = 'postgresql://cpp:s3cret@db:5432/cpp'
  await writeFile(join(dir, 'master_key'), `${key}\n`)
  await writeFile(join(dir, 'database_url'), url)
  const fromFiles = loadConfig({
    CLOUDPARTNER_MASTER_KEY_FILE: join(dir, 'master_key'),
    CLOUDPARTNER_DATABASE_URL_FILE: join(dir, 'database_url'),
  })
  assert.equal(fromFiles.masterKey, key)
  assert.equal(fromFiles.databaseUrl, url)

  const other = randomBytes(32).toString('base64')
  const given = loadConfig({
    CLOUDPARTNER_MASTER_KEY: other,
    CLOUDPARTNER_MASTER_KEY_FILE: join(dir, 'master_key'),
  })
  assert.equal(given.masterKey, other)
})

test('a secret file that cannot be read: an error that names the variable and the path, never a content', () => {
  assert.throws(
    () => loadConfig({ CLOUDPARTNER_MASTER_KEY_FILE: '/nonexistent/master_key' }),
    (error: Error) =>
      error.message === 'Cannot read CLOUDPARTNER_MASTER_KEY_FILE (/nonexistent/master_key): ENOENT',
  )
})
