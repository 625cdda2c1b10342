/**
 * A structural diff of two offers (or any two JSON documents): what was added, removed or changed,
 * each with its path. Plans (and other lists of objects with a `planId`) are matched by `planId`,
 * not by position, so that a plan inserted first does not read as every plan changed; lists of
 * plain values (regions, sizes) compare as one value.
 */
export type ChangeKind = 'added' | 'removed' | 'changed'

/** A path segment: a key, an index, or a plan matched by its id. */
export type PathSegment = string | number | { readonly planId: string }

export interface OfferChange {
  readonly kind: ChangeKind
  readonly path: readonly PathSegment[]
  /** JSONPath, e.g. `$.definition.plans[?(@.planId=='gold')]['microsoft-azure-virtualmachines.skuTitle']`. */
  readonly jsonPath: string
  /** Absent when added. */
  readonly before?: unknown
  /** Absent when removed. */
  readonly after?: unknown
}

/** Envelope fields that differ between any two reads and say nothing about the content. */
const IGNORED_ENVELOPE = new Set(['status', 'version', 'changedTime'])

/**
 * What changed from `before` to `after`. For offers, the envelope's `status`, `version` and
 * `changedTime` are left out: compare them yourself. With `limit`, the first that many changes, in
 * the order of a complete diff, and no work past them (a replacement of every plan of a large offer
 * is hundreds of thousands of changes).
 *
 * @example
 * const draft = await client.offers.get('contoso', 'my-offer')
 * const live = await client.offers.getSlot('contoso', 'my-offer', 'production')
 * for (const change of diffOffers(live.offer, draft.offer)) console.log(change.kind, change.jsonPath)
 */
export function diffOffers(
  before: unknown,
  after: unknown,
  options: { readonly limit?: number } = {},
): OfferChange[] {
  const out: Changes = { list: [], limit: options.limit ?? Number.POSITIVE_INFINITY, path: [] }
  if (isObject(before) && isObject(after)) {
    diffObjects(withoutKeys(before, IGNORED_ENVELOPE), withoutKeys(after, IGNORED_ENVELOPE), out)
  } else diffValues(before, after, out)
  return out.list
}

/**
 * The changes found so far, how many are wanted (the walk stops once it has them), and the path
 * being walked: one array, extended and shortened on the way, copied only into a change.
 */
interface Changes {
  readonly list: OfferChange[]
  readonly limit: number
  readonly path: PathSegment[]
}

/** A change at the path being walked, one segment further. */
function add(
  out: Changes,
  kind: ChangeKind,
  segment: PathSegment | undefined,
  before: unknown,
  after: unknown,
): void {
  if (out.list.length >= out.limit) return
  out.list.push(change(kind, segment === undefined ? [...out.path] : [...out.path, segment], before, after))
}

const full = (out: Changes) => out.list.length >= out.limit

/** The diff of two values one segment further down the path. */
function diffBelow(segment: PathSegment, before: unknown, after: unknown, out: Changes): void {
  out.path.push(segment)
  diffValues(before, after, out)
  out.path.pop()
}

function diffValues(before: unknown, after: unknown, out: Changes): void {
  if (isObject(before) && isObject(after)) {
    diffObjects(before, after, out)
    return
  }
  if (Array.isArray(before) && Array.isArray(after) && !(isPlainList(before) && isPlainList(after))) {
    diffArrays(before, after, out)
    return
  }
  if (!deepEqual(before, after)) add(out, 'changed', undefined, before, after)
}

function diffObjects(before: Record<string, unknown>, after: Record<string, unknown>, out: Changes): void {
  for (const key of Object.keys(before)) {
    if (full(out)) return
    if (!Object.hasOwn(after, key)) add(out, 'removed', key, before[key], undefined)
    else diffBelow(key, before[key], after[key], out)
  }
  for (const key of Object.keys(after)) {
    if (full(out)) return
    if (!Object.hasOwn(before, key)) add(out, 'added', key, undefined, after[key])
  }
}

function diffArrays(before: unknown[], after: unknown[], out: Changes): void {
  const beforeIds = planIds(before)
  const afterIds = planIds(after)
  if (beforeIds && afterIds) {
    const afterById = new Map(afterIds.map((id, index) => [id, after[index]]))
    const beforeById = new Map(beforeIds.map((id, index) => [id, before[index]]))
    for (const [id, plan] of beforeById) {
      if (full(out)) return
      const segment = { planId: id }
      if (!afterById.has(id)) add(out, 'removed', segment, plan, undefined)
      else diffBelow(segment, plan, afterById.get(id), out)
    }
    for (const [id, plan] of afterById) {
      if (full(out)) return
      if (!beforeById.has(id)) add(out, 'added', { planId: id }, undefined, plan)
    }
    return
  }
  const shared = Math.min(before.length, after.length)
  for (let index = 0; index < shared && !full(out); index += 1)
    diffBelow(index, before[index], after[index], out)
  for (let index = shared; index < before.length && !full(out); index += 1) {
    add(out, 'removed', index, before[index], undefined)
  }
  for (let index = shared; index < after.length && !full(out); index += 1) {
    add(out, 'added', index, undefined, after[index])
  }
}

function change(kind: ChangeKind, path: PathSegment[], before: unknown, after: unknown): OfferChange {
  return {
    kind,
    path,
    jsonPath: jsonPath(path),
    ...(kind === 'added' ? {} : { before }),
    ...(kind === 'removed' ? {} : { after }),
  }
}

/** `$.definition.offer['microsoft-azure-marketplace.title']`, plans as filters on their planId. */
export function jsonPath(path: readonly PathSegment[]): string {
  let out = '$'
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (typeof segment === 'object') out += `[?(@.planId==${quote(segment.planId)})]`
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`
    else out += `[${quote(segment)}]`
  }
  return out
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/** The planIds of a list of plans, if every item has a distinct one. */
function planIds(items: unknown[]): string[] | undefined {
  if (items.length === 0) return []
  const ids = items.map((item) =>
    isObject(item) && typeof item.planId === 'string' ? item.planId : undefined,
  )
  if (ids.some((id) => id === undefined)) return undefined
  return new Set(ids).size === ids.length ? (ids as string[]) : undefined
}

function isPlainList(items: unknown[]): boolean {
  return items.every((item) => item === null || typeof item !== 'object')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function withoutKeys(value: Record<string, unknown>, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.has(key)))
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]))
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    )
  }
  return false
}
