import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadMasterKey } from '../../auth/master-key.ts'
import { loadConfig } from '../../config.ts'
import { copyStore } from '../../storage/copy-store.ts'
import { migrate } from '../../storage/migration.ts'
import { MIGRATIONS } from '../../storage/migrations/index.ts'
import { openPostgresDatabase } from '../../storage/postgres/postgres-database.ts'
import { openSqliteDatabase } from '../../storage/sqlite/sqlite-database.ts'
import { EXIT, OperationError, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { configFlags, settingsHelp } from '../settings-flags.ts'

const OPTIONS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  json: { type: 'boolean' },
} as const

export const migrateToPostgresCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner migrate-to-postgres --database-url <postgres://…> [--data-dir <dir>]',
      '',
      'Copies everything in the SQLite store (publishers, offers with their versions and slots,',
      'principals and grants, signing keys, …) into an empty PostgreSQL database, in one',
      'transaction: the target ends up with all of it or none of it. The SQLite store is only read.',
      'Stop the server first, so that nothing changes during the copy.',
      '',
      'Signing keys stay sealed under the same master key: the replicas on PostgreSQL need it as',
      'CLOUDPARTNER_MASTER_KEY. If that variable is unset, the command prints how to set it from',
      '<data-dir>/master.key; if it is set to another key, the command refuses.',
      '',
      'Options:',
      '  --json                          Print the rows copied per table as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl', 'masterKey']),
    ].join('\n'),
  async run(args, io) {
    const { values } = parseCommandLine('migrate-to-postgres', args, OPTIONS, { min: 0, max: 0, names: '' })
    const flags = configFlags(values)
    if (typeof flags['database-url'] !== 'string' && io.env.CLOUDPARTNER_DATABASE_URL === undefined) {
      throw new UsageError(
        'migrate-to-postgres: give the target with --database-url or CLOUDPARTNER_DATABASE_URL',
      )
    }
    const dataDir = resolve(String(flags['data-dir'] ?? io.env.CLOUDPARTNER_DATA_DIR ?? './data'))
    const sqlitePath = join(dataDir, 'cloudpartner.sqlite')
    if (!existsSync(sqlitePath)) throw new UsageError(`migrate-to-postgres: there is no store in ${dataDir}`)
    const sourceKey = loadMasterKey({ dataDir, inMemory: false })
    const sourceKeyText = sourceKey.toString('base64')
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
    const source = openSqliteDatabase({ path: sqlitePath })
    const target = openPostgresDatabase({ connectionString: config.databaseUrl as string })
    try {
      for (const [name, db] of [
        ['SQLite store', source],
        ['PostgreSQL database', target],
      ] as const) {
        const result = await migrate(db, MIGRATIONS)
        if (result.error) throw new OperationError(`Cannot migrate the ${name}: ${result.error.message}`)
      }
      const copied = await copyStore(source, target)
      if (values.json) {
        printJson(io, copied)
      } else {
        for (const [table, rows] of Object.entries(copied)) io.out(`${table.padEnd(18)}${rows}\n`)
        io.out('Copied. Start the replicas with --database-url and this master key:\n')
        if (io.env.CLOUDPARTNER_MASTER_KEY === undefined) {
          io.out(`  export CLOUDPARTNER_MASTER_KEY="$(cat ${join(dataDir, 'master.key')})"\n`)
        }
      }
      return EXIT.ok
    } catch (error) {
      if (error instanceof UsageError || error instanceof OperationError) throw error
      throw new OperationError(`migrate-to-postgres: ${(error as Error).message}`)
    } finally {
      await source.close()
      await target.close()
    }
  },
}
