import type { Migration } from '../migration.ts'
import { initialMigration } from './0001-initial.ts'
import { offerVersionsAndSlotsMigration } from './0002-offer-versions-and-slots.ts'

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [initialMigration, offerVersionsAndSlotsMigration]
