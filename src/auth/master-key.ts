import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.ts'

/**
 * The key that encrypts signing keys at rest. Given explicitly (CLOUDPARTNER_MASTER_KEY) it is used as
 * is; otherwise the embedded store keeps one in `master.key` beside the database, readable only by its
 * owner, so that a copy of the database alone does not give away the signing keys.
 */
export function loadMasterKey(config: Pick<Config, 'masterKey' | 'dataDir' | 'inMemory'>): Buffer {
  if (config.masterKey !== undefined) return Buffer.from(config.masterKey, 'base64')
  if (config.inMemory) return randomBytes(32)
  const path = join(config.dataDir, 'master.key')
  try {
    return decode(readFileSync(path, 'utf8'), path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  return createOnce(path, randomBytes(32))
}

/**
 * Writes the key to a temporary file, then links it into place: a link fails if the name exists,
 * so of two processes starting on a new data directory one wins and the other reads the winner's
 * key, whole. Creating `master.key` itself with 'wx' let the loser read it before it was written.
 */
function createOnce(path: string, key: Buffer): Buffer {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  try {
    linkSync(temporary, path)
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return decode(readFileSync(path, 'utf8'), path)
  } finally {
    unlinkSync(temporary)
  }
}

function decode(text: string, path: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64')
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`)
  return key
}
