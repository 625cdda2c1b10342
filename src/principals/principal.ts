/** The roles a principal can hold on a publisher, as the Cloud Partner Portal's user management had them. */
export const ROLES = ['Owner', 'Contributor'] as const
export type Role = (typeof ROLES)[number]

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
