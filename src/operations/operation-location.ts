import { CURRENT_API_VERSION } from '../http/api-version.ts'
import type { Operation, OperationSlot } from './operation.ts'

/**
 * The relative URL of an operation, as `Location` and `Operation-Location` carry it (reference §1.3,
 * E7): migrated offers get `/api/publishers/{p}/offers/{o}/operations/{guid}`, the others
 * `/api/operations/{p}${o}${publishingVersion}${slot}` with a literal `$`. Both resolve for every
 * operation, whatever its offer's migration status.
 */
export function operationLocation(
  operation: Pick<Operation, 'id' | 'publisherId' | 'offerId' | 'publishingVersion' | 'slot' | 'migrated'>,
): string {
  const query = `?api-version=${CURRENT_API_VERSION}`
  if (operation.migrated) {
    return `/api/publishers/${operation.publisherId}/offers/${operation.offerId}/operations/${operation.id}${query}`
  }
  return `/api/operations/${submissionKey(operation)}${query}`
}

export function submissionKey(
  operation: Pick<Operation, 'publisherId' | 'offerId' | 'publishingVersion' | 'slot'>,
): string {
  const slot = operation.slot === 'staging' ? 'preview' : 'production'
  return [operation.publisherId, operation.offerId, operation.publishingVersion, slot].join('$')
}

export interface SubmissionKey {
  readonly publisherId: string
  readonly offerId: string
  readonly publishingVersion: number
  readonly slot: OperationSlot
}

/** Reads `{p}${o}${publishingVersion}${slot}` (`$` already decoded from `%24`); undefined if malformed. */
export function parseSubmissionKey(key: string): SubmissionKey | undefined {
  const parts = key.split('$')
  if (parts.length !== 4) return undefined
  const [publisherId = '', offerId = '', version = '', slotName = ''] = parts
  const slot = SLOT_NAMES[slotName.toLowerCase()]
  if (publisherId === '' || offerId === '' || !/^\d{1,9}$/.test(version) || slot === undefined)
    return undefined
  return { publisherId, offerId, publishingVersion: Number(version), slot }
}

/** `preview` in the URL, `staging` in the submissions list: two names of the same slot (reference §4.3). */
const SLOT_NAMES: Readonly<Record<string, OperationSlot>> = {
  preview: 'staging',
  staging: 'staging',
  production: 'production',
}
