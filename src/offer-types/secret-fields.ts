/**
 * Which values of a definition are secret-typed (reference §3.8): GET never returns them and the
 * store keeps them only sealed. The reference does not list them; the credentials of the lead
 * destinations are what the portal asked for as secrets (the Azure Table and Blob connection strings,
 * the Dynamics CRM password and application key, …), and Partner Center's successor API masks the
 * same members (`storageAccountConnectionString`, `password`, `applicationKey`). The members of
 * the CPP lead configurations were never documented, so the rule goes by name:
 *
 * a member, at any depth, of an offer key named `<namespace>.<…>LeadConfiguration`, whose name ends
 * in `ConnectionString`, `Password`, `Secret` or `Key` (any case).
 */
const LEAD_CONFIGURATION_KEY = /^[\w.-]+\.\w*LeadConfiguration$/
const SECRET_MEMBER = /(connectionstring|password|secret|key)$/i

export function isLeadConfigurationKey(offerKey: string): boolean {
  return LEAD_CONFIGURATION_KEY.test(offerKey)
}

export function isSecretMember(name: string): boolean {
  return SECRET_MEMBER.test(name)
}

/** A secret-typed member found in `definition.offer`: its path below the offer bag, and its value. */
export interface SecretValue {
  /** [offerKey, member, …], e.g. ['microsoft-azure-marketplace.tableLeadConfiguration', 'connectionString']. */
  readonly path: readonly string[]
  readonly value: unknown
}

/** Every secret-typed member present in an offer bag, whatever its value. */
export function findSecretValues(offer: unknown): SecretValue[] {
  if (!isPlainObject(offer)) return []
  const found: SecretValue[] = []
  for (const [key, value] of Object.entries(offer)) {
    if (isLeadConfigurationKey(key)) collect(value, [key], found)
  }
  return found
}

function collect(value: unknown, path: string[], found: SecretValue[]): void {
  if (!isPlainObject(value)) return
  for (const [name, member] of Object.entries(value)) {
    if (isSecretMember(name)) found.push({ path: [...path, name], value: member })
    else collect(member, [...path, name], found)
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
