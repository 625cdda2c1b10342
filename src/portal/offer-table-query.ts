import { isKnownOfferType } from '../offer-types/offer-types.ts'
import { OFFER_STATUSES, type OfferStatus } from '../offers/offer.ts'
import { OFFER_SORTS, type OfferPageQuery, type OfferSort } from '../offers/offer-page.ts'

export const PAGE_SIZES = [25, 50, 100] as const
const DEFAULT_SIZE = 50

/** What the offer table's URL says: filters, search, sort, page. Anything unknown is its default. */
export interface OfferTableState {
  readonly type?: string
  readonly status?: OfferStatus
  readonly q?: string
  readonly sort: OfferSort
  readonly dir: 'asc' | 'desc'
  readonly page: number
  readonly size: number
}

/**
 * Read leniently: the URL is the table's state and a person edits it, so a value the table does
 * not offer is dropped rather than refused.
 */
export function readOfferTableState(query: Readonly<Record<string, unknown>>): OfferTableState {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '')
  const type = text('type')
  const status = text('status')
  const sort = text('sort')
  const page = Number.parseInt(text('page'), 10)
  const size = Number.parseInt(text('size'), 10)
  const q = text('q').slice(0, 200)
  return {
    ...(isKnownOfferType(type) ? { type } : {}),
    ...((OFFER_STATUSES as readonly string[]).includes(status) ? { status: status as OfferStatus } : {}),
    ...(q === '' ? {} : { q }),
    sort: (OFFER_SORTS as readonly string[]).includes(sort) ? (sort as OfferSort) : 'changed',
    dir: text('dir') === 'asc' ? 'asc' : text('dir') === 'desc' ? 'desc' : sort === '' ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  }
}

export function toPageQuery(state: OfferTableState): OfferPageQuery {
  return {
    ...(state.type === undefined ? {} : { offerTypeId: state.type }),
    ...(state.status === undefined ? {} : { status: state.status }),
    ...(state.q === undefined ? {} : { search: state.q }),
    sort: state.sort,
    descending: state.dir === 'desc',
    limit: state.size,
    offset: (state.page - 1) * state.size,
  }
}

/** The table's URL with some of its state changed; defaults are left out to keep URLs short. */
export function tableHref(path: string, state: OfferTableState, changes: Partial<OfferTableState>): string {
  const next = { ...state, ...changes }
  const params = new URLSearchParams()
  if (next.type !== undefined) params.set('type', next.type)
  if (next.status !== undefined) params.set('status', next.status)
  if (next.q !== undefined) params.set('q', next.q)
  params.set('sort', next.sort)
  params.set('dir', next.dir)
  if (next.size !== DEFAULT_SIZE) params.set('size', String(next.size))
  if (next.page !== 1) params.set('page', String(next.page))
  return `${path}?${params}`
}
