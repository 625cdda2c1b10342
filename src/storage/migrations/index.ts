import type { Migration } from '../migration.ts'
import { initialMigration } from './0001-initial.ts'

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [initialMigration]
