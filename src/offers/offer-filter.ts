import { errors } from '../errors/errors.ts'
import { OFFER_STATUSES, type OfferFilter, type OfferStatus } from './offer.ts'

/**
 * The `$filter` the offers list understands: OData equality on offerTypeId or status, joined by
 * `and`, e.g. `offerTypeId eq 'microsoft-azure-virtualmachines' and status eq 'succeeded'`.
 * Anything else is refused with a message rather than silently ignored.
 */
const CLAUSE = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i

export function parseOfferFilter(filter: string | undefined): OfferFilter {
  if (filter === undefined || filter.trim() === '') return {}
  let offerTypeId: string | undefined
  let status: OfferStatus | undefined
  for (const clause of filter.split(/\s+and\s+/i)) {
    const match = CLAUSE.exec(clause)
    if (!match) throw unsupported(filter)
    const [, property = '', quoted = ''] = match
    const value = quoted.replaceAll("''", "'")
    switch (property.toLowerCase()) {
      case 'offertypeid':
        if (offerTypeId !== undefined) throw repeated('offerTypeId')
        offerTypeId = value
        break
      case 'status': {
        if (status !== undefined) throw repeated('status')
        const known = OFFER_STATUSES.find((candidate) => candidate.toLowerCase() === value.toLowerCase())
        if (!known) throw errors.badRequest(`Invalid $filter: unknown offer status '${value}'.`)
        status = known
        break
      }
      default:
        throw errors.badRequest(
          `Invalid $filter: cannot filter on '${property}'. Filterable: offerTypeId, status.`,
        )
    }
  }
  return {
    ...(offerTypeId === undefined ? {} : { offerTypeId }),
    ...(status === undefined ? {} : { status }),
  }
}

function repeated(property: string) {
  return errors.badRequest(`Invalid $filter: ${property} may appear only once.`)
}

function unsupported(filter: string) {
  return errors.badRequest(
    `Invalid $filter '${filter}'. Supported: <property> eq '<value>' joined by 'and', on offerTypeId or status.`,
  )
}
