import type { Principal } from '../principals/principal.ts'
import type { PrincipalService } from '../principals/principals.service.ts'
import { OperationError, UsageError } from './cli-errors.ts'

/**
 * Finds the principal a command names, by its id or its client id. A client id is unique only within
 * a tenant, so `tenant` settles the rare case where two tenants register the same one.
 */
export async function resolvePrincipal(
  principals: PrincipalService,
  reference: string,
  tenant: string | undefined,
): Promise<Principal> {
  if (tenant !== undefined) {
    const found = (await principals.findByClientId(tenant, reference)) ?? (await principals.find(reference))
    if (found && found.tenantId === tenant) return found
    throw notFound(reference, tenant)
  }
  const byId = await principals.find(reference)
  if (byId) return byId
  const matches = (await principals.list()).filter((principal) => principal.clientId === reference)
  const [only] = matches
  if (only === undefined) throw notFound(reference, undefined)
  if (matches.length > 1) {
    const tenants = matches.map((principal) => principal.tenantId).join(', ')
    throw new UsageError(
      `Client id '${reference}' is registered in several tenants (${tenants}); add --tenant.`,
    )
  }
  return only
}

function notFound(reference: string, tenant: string | undefined): OperationError {
  const where = tenant === undefined ? '' : ` in tenant ${tenant}`
  return new OperationError(
    `No principal with id or client id '${reference}'${where}. See 'cloudpartner principals list'.`,
  )
}
