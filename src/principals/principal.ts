import { errors } from '../errors/errors.ts'

/** The roles a principal can hold on a publisher, as the Cloud Partner Portal's user management had them. */
export const ROLES = ['Owner', 'Contributor'] as const
export type Role = (typeof ROLES)[number]

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw errors.badRequest(`Unknown role '${role}': the role must be one of ${ROLES.join(', ')}.`)
  }
  return role as Role
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Azure AD's ids (tenant, client, object) are GUIDs, written lowercase in the tokens (`tid`, `appid`,
 * `oid`) that must match them: any case is accepted and kept lowercase.
 */
export function azureAdId(name: string, value: string): string {
  if (!GUID.test(value)) throw errors.badRequest(`The ${name} must be a GUID, not '${value}'.`)
  return value.toLowerCase()
}

/**
 * An application (service principal) that may call the API. Principals of our own token service have a
 * secret; principals of an external Azure AD tenant are matched by their appid or oid and have none.
 */
export interface Principal {
  readonly id: string
  readonly tenantId: string
  readonly clientId: string
  readonly objectId: string
  readonly displayName: string
  readonly hasSecret: boolean
  readonly createdTime: string
}

export interface Grant {
  readonly principalId: string
  readonly publisherId: string
  readonly role: Role
}
