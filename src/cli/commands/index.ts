import type { Command } from '../command.ts'
import { certCommand } from './cert.ts'
import { importCommand } from './import.ts'
import { keysListCommand, keysRotateCommand } from './keys.ts'
import { migrateToPostgresCommand } from './migrate-to-postgres.ts'
import { offersCancelCommand } from './offers-cancel.ts'
import { offersDiffCommand } from './offers-diff.ts'
import { offersListCommand } from './offers-list.ts'
import { offersOperationsCommand } from './offers-operations.ts'
import { offersGoLiveCommand, offersPublishCommand } from './offers-publish.ts'
import { offersPutCommand } from './offers-put.ts'
import { offersGetSlotCommand, offersGetVersionCommand, offersShowCommand } from './offers-show.ts'
import { offersStatusCommand } from './offers-status.ts'
import { offersValidateCommand } from './offers-validate.ts'
import {
  operationsAdvanceCommand,
  operationsBlockCommand,
  operationsFailCommand,
  operationsListCommand,
  operationsShowCommand,
} from './operations.ts'
import { operationsFailNextCommand } from './operations-fail-next.ts'
import { outboxCommand } from './outbox.ts'
import {
  principalsDeleteCommand,
  principalsGrantCommand,
  principalsListCommand,
  principalsRevokeCommand,
} from './principals.ts'
import { principalsCreateCommand } from './principals-create.ts'
import { publishersCreateCommand, publishersListCommand } from './publishers.ts'
import { serveCommand } from './serve.ts'
import { tokenCommand } from './token.ts'

/** Every command, in the order `cloudpartner --help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  publishersCreateCommand,
  publishersListCommand,
  principalsCreateCommand,
  principalsListCommand,
  principalsGrantCommand,
  principalsRevokeCommand,
  principalsDeleteCommand,
  importCommand,
  tokenCommand,
  keysRotateCommand,
  keysListCommand,
  migrateToPostgresCommand,
  certCommand,
  operationsListCommand,
  operationsShowCommand,
  operationsAdvanceCommand,
  operationsFailCommand,
  operationsBlockCommand,
  operationsFailNextCommand,
  outboxCommand,
  // Through the API, over the SDK (any CPP endpoint); `cloudpartner --help` lists them apart.
  offersListCommand,
  offersShowCommand,
  offersGetVersionCommand,
  offersGetSlotCommand,
  offersPutCommand,
  offersValidateCommand,
  offersDiffCommand,
  offersPublishCommand,
  offersGoLiveCommand,
  offersCancelCommand,
  offersStatusCommand,
  offersOperationsCommand,
]
