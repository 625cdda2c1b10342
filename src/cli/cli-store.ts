import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadMasterKey } from '../auth/master-key.ts'
import { systemClock } from '../clock.ts'
import { type Config, loadConfig } from '../config.ts'
import { ApiError } from '../errors/api-error.ts'
import { createServices, type Services } from '../services.ts'
import type { Stores } from '../stores.ts'
import { openStores } from '../stores.ts'
import { OperationError, UsageError } from './cli-errors.ts'
import type { CliIo } from './cli-io.ts'
import { configFlags } from './settings-flags.ts'

/** The option every store command takes, spelled as SETTINGS spells it (checked by a test). */
export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } as const

/**
 * The configuration of a store command: the same loader as the server, so that the same flags and
 * environment lead to the same SQLite file (WAL lets the CLI write while a server runs on it).
 */
export function loadStoreConfig(io: CliIo, values: Readonly<Record<string, unknown>>): Config {
  const config = loadConfig(io.env, configFlags(values))
  if (config.inMemory) {
    throw new UsageError(
      'The store is in memory (CLOUDPARTNER_IN_MEMORY): only the server process holds it, so this command cannot reach it. Unset it, or use --data-dir.',
    )
  }
  return config
}

/** Opens the store for one command and always closes it, so that the WAL is checkpointed cleanly. */
export async function withStores<T>(
  config: Config,
  io: CliIo,
  work: (stores: Stores) => Promise<T>,
): Promise<T> {
  const where =
    config.databaseUrl === undefined
      ? `in ${resolve(config.dataDir)}`
      : `at ${databaseHost(config.databaseUrl)}`
  // A mistyped --data-dir would otherwise silently answer from a new, empty store.
  if (config.databaseUrl === undefined && !existsSync(resolve(config.dataDir))) {
    io.err(`Note: no store ${where} yet; creating a new one.\n`)
  }
  let stores: Stores
  try {
    stores = await openStores(config)
  } catch (error) {
    throw new Error(`Cannot open the store ${where}: ${(error as Error).message}`, { cause: error })
  }
  try {
    return await work(stores)
  } finally {
    await stores.close()
  }
}

/** Where a PostgreSQL URL points, without its credentials, for messages. */
export function databaseHost(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    return `postgres://${url.host}${url.pathname}`
  } catch {
    return 'the PostgreSQL database'
  }
}

/**
 * The services over the store, for one command; see withStores. What a service refuses is the
 * command's failure: a bad value (400) is a usage error (exit 2), anything else exit 1.
 */
export async function withServices<T>(
  config: Config,
  io: CliIo,
  work: (services: Services) => Promise<T>,
): Promise<T> {
  return withStores(config, io, async (stores) => {
    try {
      return await work(
        createServices({ stores, clock: systemClock, config, masterKey: () => loadMasterKey(config) }),
      )
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      throw error.statusCode === 400 ? new UsageError(error.message) : new OperationError(error.message)
    }
  })
}
