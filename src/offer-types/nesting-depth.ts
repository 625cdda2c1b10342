/**
 * Whether a parsed JSON value nests objects and arrays deeper than `max` levels, found with a stack
 * of its own: recursion (JSON.stringify, structuredClone, a schema walk) over a value 5,000 levels
 * deep overflows the call stack. Request bodies are bounded before parsing (http/json-limits.ts);
 * this bounds what arrives otherwise (`cloudpartner import`).
 */
export function nestsDeeperThan(root: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next
    if (typeof value !== 'object' || value === null) continue
    if (depth + 1 > max) return true
    for (const member of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof member === 'object' && member !== null) pending.push({ value: member, depth: depth + 1 })
    }
  }
  return false
}

/** The deepest nesting any stored or imported document may have: the maximum of --max-json-depth. */
export const MAX_DOCUMENT_DEPTH = 1000
