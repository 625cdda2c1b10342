import type { PublishProfile } from '../config.schema.ts'
import type { SqlValue } from '../storage/database.ts'
import {
  isInFlight,
  type Operation,
  type OperationMessage,
  type OperationSlot,
  type OperationState,
  type OperationStep,
  type OutboxMessage,
  type PlannedFault,
  type StepStatus,
} from './operation.ts'

/** Rows of migration 0004 and their mapping to the domain, for operations.store.sql.ts. */

/** An operation's columns, in rowValues' order and then row_version. */
export const OPERATION_COLUMNS = `id, publisher_id, offer_id, offer_type_id, kind, slot, state, publishing_version, offer_version,
  draft_changed_time, previous_preview_version, migrated, notification_emails, profile, time_scale, faults,
  messages, created_time, changed_time, next_due_time, row_version`

export interface OperationRow {
  id: string
  publisher_id: string
  offer_id: string
  offer_type_id: string
  kind: Operation['kind']
  slot: OperationSlot
  state: OperationState
  publishing_version: number
  offer_version: number
  draft_changed_time: string
  previous_preview_version: number | null
  migrated: number
  notification_emails: string | null
  profile: PublishProfile
  time_scale: number
  faults: string
  messages: string
  created_time: string
  changed_time: string
  next_due_time: string | null
  row_version: number
}

export interface StepRow {
  operation_id: string
  position: number
  step_id: string
  status: StepStatus
  messages: string
  started_time: string | null
  due_time: string | null
  finished_time: string | null
}

export interface OutboxRow {
  operation_id: string
  sequence: number
  event: OutboxMessage['event']
  recipients: string
  subject: string
  body: string
  created_time: string
}

/** The operation as reading it back gives it: optional fields that are undefined are absent. */
export function stored(operation: Operation): Operation {
  return Object.fromEntries(
    Object.entries(operation).filter(([, value]) => value !== undefined),
  ) as unknown as Operation
}

export function inFlightKey(publisherId: string, offerId: string): string {
  return `${publisherId}/${offerId}`
}

export function inFlightOf(operation: Operation): string | null {
  return isInFlight(operation) ? inFlightKey(operation.publisherId, operation.offerId) : null
}

export function rowValues(operation: Operation): SqlValue[] {
  return [
    operation.id,
    operation.publisherId,
    operation.offerId,
    operation.offerTypeId,
    operation.kind,
    operation.slot,
    operation.state,
    operation.publishingVersion,
    operation.offerVersion,
    operation.draftChangedTime,
    operation.previousPreviewVersion ?? null,
    operation.migrated ? 1 : 0,
    operation.notificationEmails ?? null,
    operation.timing.profile,
    operation.timing.timeScale,
    JSON.stringify(operation.faults),
    JSON.stringify(operation.messages),
    operation.createdTime,
    operation.changedTime,
    operation.nextDueTime ?? null,
  ]
}

export function stepValues(step: OperationStep): SqlValue[] {
  return [
    step.id,
    step.status,
    JSON.stringify(step.messages),
    step.startedTime ?? null,
    step.dueTime ?? null,
    step.finishedTime ?? null,
  ]
}

export function toOperation(row: OperationRow, steps: OperationStep[]): Operation {
  return {
    id: row.id,
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    offerTypeId: row.offer_type_id,
    kind: row.kind,
    slot: row.slot,
    state: row.state,
    publishingVersion: Number(row.publishing_version),
    offerVersion: Number(row.offer_version),
    draftChangedTime: row.draft_changed_time,
    ...(row.previous_preview_version === null
      ? {}
      : { previousPreviewVersion: Number(row.previous_preview_version) }),
    migrated: Number(row.migrated) === 1,
    ...(row.notification_emails === null ? {} : { notificationEmails: row.notification_emails }),
    timing: { profile: row.profile, timeScale: Number(row.time_scale) },
    faults: JSON.parse(row.faults) as PlannedFault[],
    messages: JSON.parse(row.messages) as OperationMessage[],
    steps,
    createdTime: row.created_time,
    changedTime: row.changed_time,
    ...(row.next_due_time === null ? {} : { nextDueTime: row.next_due_time }),
    rowVersion: Number(row.row_version),
  }
}

export function toStep(row: StepRow): OperationStep {
  return {
    id: row.step_id,
    status: row.status,
    messages: JSON.parse(row.messages) as OperationMessage[],
    ...(row.started_time === null ? {} : { startedTime: row.started_time }),
    ...(row.due_time === null ? {} : { dueTime: row.due_time }),
    ...(row.finished_time === null ? {} : { finishedTime: row.finished_time }),
  }
}
