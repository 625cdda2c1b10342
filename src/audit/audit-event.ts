/**
 * One change, as the audit trail keeps it: who made it, through which door, when, what it changed
 * and how it ended. Written in the transaction of the change itself (record-change.ts), so the
 * trail holds a record for every change and no record for a change that did not happen.
 */

/** How a change came in. `internal`: code that set no context (a test driving a service directly). */
export const AUDIT_DOORS = ['api', 'admin-api', 'portal', 'cli', 'import', 'bootstrap', 'internal'] as const
export type AuditDoor = (typeof AUDIT_DOORS)[number]

/** Every kind of change the trail records. */
export const AUDIT_ACTIONS = [
  'offer.put',
  'offer.import',
  'offer.publish',
  'offer.go-live',
  'offer.cancel',
  'operation.advance',
  'operation.fail',
  'operation.block',
  'publish-failure.set',
  'publish-failure.clear',
  'publisher.create',
  'principal.create',
  'principal.delete',
  'principal.secret-rotate',
  'principal.certificate-add',
  'principal.certificate-remove',
  'grant.set',
  'grant.revoke',
  'signing-key.rotate',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Who: a principal (through the API) or the operator of the store (the CLI, with the OS user). */
export interface AuditActor {
  readonly principalId?: string
  readonly tenantId?: string
  readonly clientId?: string
  /** The operating-system user that ran a `cloudpartner` command or started the server. */
  readonly osUser?: string
}

/** What a service says about its change; the recorder adds who, when and the request. */
export interface AuditChange {
  readonly action: AuditAction
  readonly publisherId?: string
  readonly offerId?: string
  /** What else the change names: an operation, a principal, a signing key. */
  readonly subjectId?: string
  /** What the change came to, in a word: created, replaced, granted, the operation's state. */
  readonly outcome: string
  /** Facts of the change (ETag before and after, the offer's diff); never a secret. */
  readonly details?: Readonly<Record<string, unknown>>
}

export interface AuditEvent extends AuditChange {
  readonly id: string
  /** A CPP timestamp; strictly increasing within one process. */
  readonly time: string
  readonly door: AuditDoor
  readonly actor: AuditActor
  readonly requestId?: string
  readonly correlationId?: string
}

/** What a reader of the trail asks for; every filter is optional and they combine. */
export interface AuditFilter {
  readonly publisherId?: string
  readonly offerId?: string
  readonly principalId?: string
  /** Events at or after this CPP timestamp. */
  readonly since?: string
  /** Events before this CPP timestamp. */
  readonly until?: string
  /** At most this many, the oldest first (the newest first with `newestFirst`). */
  readonly limit?: number
  /** The newest first: with `limit`, the latest records (the portal shows an offer's recent ones). */
  readonly newestFirst?: boolean
}
