import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { withChangeContext } from '../audit/change-context.ts'
import { osUser } from '../audit/os-user.ts'
import { loadMasterKey } from '../auth/master-key.ts'
import { systemClock } from '../clock.ts'
import { type Config, type ConfigKey, loadConfig } from '../config.ts'
import { ApiError } from '../errors/api-error.ts'
import { createServices, type Services } from '../services.ts'
import { openStores, type Stores } from '../stores.ts'
import { OperationError, UsageError } from './cli-errors.ts'
import type { CliIo } from './cli-io.ts'
import type { Command, CommandOptions } from './command.ts'
import { type LocalCommandSpec, type LocalContext, localCommand } from './local-command.ts'

/** The settings every store command takes: where the store is. */
export const STORE_SETTINGS: readonly ConfigKey[] = ['dataDir', 'databaseUrl']

/** What a command over the store gets: its arguments, the configuration, and the services. */
export interface StoreContext<O extends CommandOptions> extends LocalContext<O> {
  /** Loaded as the server loads it, so that the same flags and environment open the same store. */
  readonly config: Config
  /**
   * Opens the store (once) and answers the services over it, as the server builds them; the store
   * is closed when the command ends. A command checks its arguments and files before it asks.
   */
  services(): Promise<Services>
}

export type StoreCommandSpec<O extends CommandOptions> = Omit<
  LocalCommandSpec<O, StoreContext<O>>,
  'settings'
> & {
  /** Default: STORE_SETTINGS. */
  readonly settings?: readonly ConfigKey[]
}

/**
 * A command over the store the server uses (the same --data-dir / CLOUDPARTNER_DATA_DIR, or
 * --database-url), while the server runs or not. It reaches the store only through the services,
 * as the API does, so every rule holds whichever door a write comes through. What a service
 * refuses is the command's failure: a bad value (400) is a usage error (exit 2), anything else
 * exit 1.
 */
export function storeCommand<const O extends CommandOptions>(spec: StoreCommandSpec<O>): Command {
  return localCommand<O>({
    ...spec,
    settings: spec.settings ?? STORE_SETTINGS,
    async run(context) {
      const config = loadStoreConfig(context.io, context)
      let opened: Promise<{ stores: Stores; services: Services }> | undefined
      const services = async () => {
        opened ??= openServices(config, context.io)
        return (await opened).services
      }
      try {
        // Every change the command makes is recorded as the CLI's, by the user running it.
        return await withChangeContext({ door: 'cli', ...osUser() }, () =>
          spec.run({ ...context, config, services }),
        )
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
        if (error.statusCode === 400) throw new UsageError(`${spec.name}: ${error.message}`)
        throw new OperationError(error.message)
      } finally {
        // Closed whatever happened, so that SQLite's WAL is checkpointed cleanly.
        if (opened) await (await opened.catch(() => undefined))?.stores.close()
      }
    },
  })
}

/**
 * The configuration of a store command: the same loader as the server, so that the same flags and
 * environment lead to the same SQLite file (WAL lets the CLI write while a server runs on it).
 */
function loadStoreConfig(io: CliIo, context: { flags: LocalContext<CommandOptions>['flags'] }): Config {
  const config = loadConfig(io.env, context.flags)
  if (config.inMemory) {
    throw new UsageError(
      'The store is in memory (CLOUDPARTNER_IN_MEMORY): only the server process holds it, so this command cannot reach it. Unset it, or use --data-dir.',
    )
  }
  return config
}

async function openServices(config: Config, io: CliIo): Promise<{ stores: Stores; services: Services }> {
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
  // The master key is read (or created) only by the commands that seal or sign something.
  const services = createServices({
    stores,
    clock: systemClock,
    config,
    masterKey: () => loadMasterKey(config),
  })
  return { stores, services }
}

/** Where a PostgreSQL URL points, without its credentials, for messages. */
function databaseHost(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    return `postgres://${url.host}${url.pathname}`
  } catch {
    return 'the PostgreSQL database'
  }
}
