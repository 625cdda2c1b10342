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

/**
 * Depth first, in document order, with a stack of its own rather than recursion: a body is bounded
 * in depth (--max-json-depth), but an import or a store written before that bound is not, and no
 * input may reach a stack overflow.
 */
function collect(root: unknown, rootPath: string[], found: SecretValue[]): void {
  // Members still to visit; the last pushed is visited first, so members go in in reverse.
  const pending: { name: string; value: unknown; path: string[] }[] = []
  const pushMembers = (value: unknown, path: string[]) => {
    if (!isPlainObject(value)) return
    const members = Object.entries(value)
    for (let i = members.length - 1; i >= 0; i--) {
      const [name, member] = members[i] as [string, unknown]
      pending.push({ name, value: member, path: [...path, name] })
    }
  }
  pushMembers(root, rootPath)
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (isSecretMember(next.name)) found.push({ path: next.path, value: next.value })
    else pushMembers(next.value, next.path)
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
