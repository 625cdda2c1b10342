import { aadErrors } from './aad-error.ts'

/**
 * The tenant aliases Azure AD's discovery endpoints accept in place of a tenant id. Their documents
 * name the issuer with a `{tenantid}` placeholder, because the real issuer depends on the token.
 */
const MULTI_TENANT_ALIASES: ReadonlySet<string> = new Set(['common', 'organizations'])

export const TENANT_ID_PLACEHOLDER = '{tenantid}'

/**
 * Azure AD compares tenant ids (GUIDs, and the aliases) case-insensitively; principals are registered
 * with lower-case ids (E5), so a tenant in a URL is looked up, and named back, in lower case.
 */
export function canonicalTenant(tenant: string): string {
  return tenant.toLowerCase()
}

export function isMultiTenantAlias(tenant: string): boolean {
  return MULTI_TENANT_ALIASES.has(tenant.toLowerCase())
}

/**
 * Azure AD answers AADSTS90002 for a tenant it does not know, on its discovery endpoints as on its
 * token endpoints. Our token service knows the tenants of its registered principals.
 */
export async function requireKnownTenant(
  tenants: { hasTenant(tenantId: string): Promise<boolean> },
  tenant: string,
): Promise<void> {
  if (isMultiTenantAlias(tenant)) return
  if (!(await tenants.hasTenant(canonicalTenant(tenant)))) throw aadErrors.tenantNotFound(tenant)
}
