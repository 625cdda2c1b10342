import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadMasterKey } from '../../auth/master-key.ts'
import { loadConfig } from '../../config.ts'
import { CopyFailedError, copyIntoPostgres } from '../../storage/copy-store.ts'
import { EXIT, OperationError, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { localCommand } from '../local-command.ts'

export const migrateToPostgresCommand = localCommand({
  name: 'migrate-to-postgres',
  usage: '--database-url <postgres://…> [--data-dir <dir>]',
  description: [
    'Copies everything in the SQLite store (publishers, offers with their versions and slots,',
    'principals and grants, signing keys, …) into an empty PostgreSQL database, in one',
    'transaction: the target ends up with all of it or none of it. The SQLite store is only read.',
    'Stop the server first, so that nothing changes during the copy.',
    '',
    'Signing keys stay sealed under the same master key: the replicas on PostgreSQL need it as',
    'CLOUDPARTNER_MASTER_KEY. If that variable is unset, the command prints how to set it from',
    '<data-dir>/master.key; if it is set to another key, the command refuses.',
  ],
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print the rows copied per table as JSON.'],
  settings: ['dataDir', 'databaseUrl', 'masterKey'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, flags }) {
    if (typeof flags['database-url'] !== 'string' && io.env.CLOUDPARTNER_DATABASE_URL === undefined) {
      throw new UsageError(
        'migrate-to-postgres: give the target with --database-url or CLOUDPARTNER_DATABASE_URL',
      )
    }
    const dataDir = resolve(String(flags['data-dir'] ?? io.env.CLOUDPARTNER_DATA_DIR ?? './data'))
    const sqlitePath = join(dataDir, 'cloudpartner.sqlite')
    if (!existsSync(sqlitePath)) throw new UsageError(`migrate-to-postgres: there is no store in ${dataDir}`)
    const sourceKeyText = loadMasterKey({ dataDir, inMemory: false }).toString('base64')
    // The target configuration needs a master key; the source's is the one that opens its signing keys.
    const config = loadConfig(
      { ...io.env, CLOUDPARTNER_MASTER_KEY: io.env.CLOUDPARTNER_MASTER_KEY ?? sourceKeyText },
      flags,
    )
    if (config.masterKey !== sourceKeyText) {
      throw new UsageError(
        `migrate-to-postgres: CLOUDPARTNER_MASTER_KEY is not the key of ${dataDir}; the copied signing keys could not be opened. Use: export CLOUDPARTNER_MASTER_KEY="$(cat ${join(dataDir, 'master.key')})"`,
      )
    }
    let copied: Record<string, number>
    try {
      copied = await copyIntoPostgres(sqlitePath, config.databaseUrl as string)
    } catch (error) {
      if (error instanceof CopyFailedError) throw new OperationError(error.message)
      throw new OperationError(`migrate-to-postgres: ${(error as Error).message}`)
    }
    if (values.json) {
      printJson(io, copied)
      return EXIT.ok
    }
    for (const [table, rows] of Object.entries(copied)) io.out(`${table.padEnd(18)}${rows}\n`)
    io.out('Copied. Start the replicas with --database-url and this master key:\n')
    if (io.env.CLOUDPARTNER_MASTER_KEY === undefined) {
      io.out(`  export CLOUDPARTNER_MASTER_KEY="$(cat ${join(dataDir, 'master.key')})"\n`)
    }
    return EXIT.ok
  },
})
