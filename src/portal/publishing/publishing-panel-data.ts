import type { AuditService } from '../../audit/audit.service.ts'
import type { AuditEvent } from '../../audit/audit-event.ts'
import type { Caller } from '../../auth/caller.ts'
import { ApiError } from '../../errors/api-error.ts'
import type { OutboxMessage, PlannedFault } from '../../operations/operation.ts'
import type { OperationService } from '../../operations/operations.service.ts'
import type { OperationAdmin } from '../../operations/operations-admin.service.ts'
import type { PublishingState } from '../../operations/publishing-state.ts'
import type { PublisherAccess } from '../../principals/publisher-access.ts'

/** What an Owner-only part shows: its content, or why the viewer does not see it. */
export type OwnerOnly<T> = { readonly shown: T } | { readonly refused: string }

/** Everything the live publishing panel shows, read with the viewer's caller. */
export interface PublishingPanelData {
  readonly state: PublishingState
  /** The outbox of the latest operation (Owners, as GET /admin/operations/{id}/outbox). */
  readonly outbox: OwnerOnly<readonly OutboxMessage[]>
  /** The offer's latest audit records, newest first (Owners, as GET /admin/audit). */
  readonly audit: OwnerOnly<readonly AuditEvent[]>
  /**
   * Step control and failure injection: the failure planned for the next publish, if any; refused
   * for a Contributor, and where the /admin API is not served (production without --admin-api).
   */
  readonly controls: OwnerOnly<{ readonly plannedFault?: PlannedFault }>
}

export interface PanelServices {
  readonly operations: OperationService
  readonly operationAdmin: OperationAdmin
  readonly audit: AuditService
  readonly access: PublisherAccess
  /** Whether the /admin controls are served (development mode, or --admin-api). */
  readonly controlsServed: boolean
}

/** How many audit records the panel shows: the latest; the CLI and /admin/audit have them all. */
export const AUDIT_SHOWN = 20

/**
 * Reads the panel through the services, each with the check the API makes: a viewer without a
 * grant gets the API's 403, a Contributor sees the publishing and is told why the Owner-only parts
 * are not shown (the API's own message).
 */
export async function loadPublishingPanel(
  services: PanelServices,
  caller: Caller,
  publisherId: string,
  offerId: string,
): Promise<PublishingPanelData> {
  const state = await services.operations.publishingState(caller, publisherId, offerId)
  const owner = await ownerOnly(services.access.require(caller, publisherId, 'Owner'))
  if ('refused' in owner) return { state, outbox: owner, audit: owner, controls: owner }
  const [latest] = state.operations
  const [outbox, audit, plannedFault] = await Promise.all([
    latest ? services.operationAdmin.outbox(latest.id, caller) : [],
    services.audit.list(caller, { publisherId, offerId, newestFirst: true, limit: AUDIT_SHOWN }),
    services.controlsServed
      ? services.operationAdmin.findNextPublishFault(publisherId, offerId, caller).catch(noneFound)
      : undefined,
  ])
  const controls = services.controlsServed
    ? { shown: plannedFault ? { plannedFault } : {} }
    : {
        refused:
          'Step control and failure injection are served in development mode, and in production mode with --admin-api, as the /admin API is.',
      }
  return { state, outbox: { shown: outbox }, audit: { shown: audit }, controls }
}

async function ownerOnly(check: Promise<unknown>): Promise<OwnerOnly<true>> {
  try {
    await check
    return { shown: true }
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 403) return { refused: error.message }
    throw error
  }
}

function noneFound(error: unknown): undefined {
  if (error instanceof ApiError && error.statusCode === 404) return undefined
  throw error
}
