import type { Migration } from '../migration.ts'
import { initialMigration } from './0001-initial.ts'
import { offerVersionsAndSlotsMigration } from './0002-offer-versions-and-slots.ts'
import { offerSecretsMigration } from './0003-offer-secrets.ts'
import { operationsMigration } from './0004-operations.ts'
import { offerReadsMigration } from './0005-offer-reads.ts'
import { clientCertificatesMigration } from './0006-client-certificates.ts'
import { auditEventsMigration } from './0007-audit-events.ts'
import { changeCountersMigration } from './0008-change-counters.ts'
import { portalSessionsMigration } from './0009-portal-sessions.ts'
import { offerPagesMigration } from './0010-offer-pages.ts'

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  initialMigration,
  offerVersionsAndSlotsMigration,
  offerSecretsMigration,
  operationsMigration,
  offerReadsMigration,
  clientCertificatesMigration,
  auditEventsMigration,
  changeCountersMigration,
  portalSessionsMigration,
  offerPagesMigration,
]
