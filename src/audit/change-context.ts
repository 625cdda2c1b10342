import { AsyncLocalStorage } from 'node:async_hooks'
import type { Caller } from '../auth/caller.ts'
import type { AuditDoor } from './audit-event.ts'

/**
 * Who is changing something, and through which request: set once where a change enters (the API's
 * and the admin API's hooks, the CLI's store commands, `cloudpartner import`, the bootstrap) and
 * read where the change is recorded, deep in a service's transaction. Carried by AsyncLocalStorage
 * rather than by a parameter of every write method, as OpenTelemetry carries its context: the
 * services' signatures stay those of their rules, and a door cannot forget to pass it on to a
 * service that another service calls (see docs/operations.md, "Audit trail").
 */
export interface ChangeContext {
  readonly door: AuditDoor
  /** The authenticated caller of a request (absent for the CLI and the bootstrap). */
  readonly caller?: Caller
  readonly osUser?: string
  readonly requestId?: string
  readonly correlationId?: string
}

const storage = new AsyncLocalStorage<ChangeContext>()

/** Runs `work` with the context; changes made by it are recorded as coming through it. */
export function withChangeContext<T>(context: ChangeContext, work: () => T): T {
  return storage.run(context, work)
}

/** The context of the change being made; `internal` when no door set one. */
export function currentChangeContext(): ChangeContext {
  return storage.getStore() ?? INTERNAL
}

const INTERNAL: ChangeContext = Object.freeze({ door: 'internal' })
