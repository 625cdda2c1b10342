import type { SqlValue } from '../storage/database.ts'
import type { OfferStatus, OfferSummary } from './offer.ts'

/** The columns a page of offers can be sorted by. */
export const OFFER_SORTS = ['id', 'title', 'type', 'status', 'version', 'changed'] as const
export type OfferSort = (typeof OFFER_SORTS)[number]

/** A page of a publisher's offers, as a person browses them (the portal's offer table). */
export interface OfferPageQuery {
  readonly offerTypeId?: string
  readonly status?: OfferStatus
  /** Text that the id or the title contains, in any case. */
  readonly search?: string
  readonly sort: OfferSort
  readonly descending: boolean
  readonly limit: number
  readonly offset: number
}

export interface OfferPage {
  readonly offers: readonly OfferSummary[]
  /** How many offers match the filters, on every page. */
  readonly total: number
}

/**
 * The ORDER BY of each sort, always ending in the id so that a page boundary never splits ties
 * differently from one request to the next. Titles sort without regard to case: LOWER() is the same
 * function in both databases, and migration 10 indexes it.
 */
const ORDER: Readonly<Record<OfferSort, string>> = {
  id: 'id',
  title: 'LOWER(display_text)',
  type: 'offer_type_id',
  status: 'status',
  version: 'version',
  changed: 'changed_time',
}

/**
 * One SQL text for both databases (ADR 0002): the filters as parameters, the search as a LIKE with
 * its wildcards escaped (a search for `50%` finds `50%`, not everything), the sort from the fixed
 * list above. LIMIT/OFFSET rather than keyset paging: a person jumps to any page and sorts by any
 * column, and at 10,000 offers the deepest page skips index entries only (docs/portal.md).
 */
export function offerPageQueries(
  publisherId: string,
  query: OfferPageQuery,
): { where: string; params: SqlValue[]; orderBy: string } {
  const conditions = ['publisher_id = ?']
  const params: SqlValue[] = [publisherId]
  if (query.offerTypeId !== undefined) {
    conditions.push('offer_type_id = ?')
    params.push(query.offerTypeId)
  }
  if (query.status !== undefined) {
    conditions.push('status = ?')
    params.push(query.status)
  }
  const search = query.search?.trim().toLowerCase()
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`
    conditions.push("(id LIKE ? ESCAPE '\\' OR LOWER(display_text) LIKE ? ESCAPE '\\')")
    params.push(pattern, pattern)
  }
  const direction = query.descending ? 'DESC' : 'ASC'
  const orderBy =
    query.sort === 'id' ? `id ${direction}` : `${ORDER[query.sort]} ${direction}, id ${direction}`
  return { where: conditions.join(' AND '), params, orderBy }
}
