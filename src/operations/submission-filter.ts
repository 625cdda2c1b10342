import { errors } from '../errors/errors.ts'
import { OPERATION_STATUS_WORDS, type Operation } from './operation.ts'
import { operationStatus } from './operation-view.ts'

/** A `$filter`-like status of the submissions list (E10): a wire word of an operation's status. */
export type StateFilter = (typeof OPERATION_STATUS_WORDS)[number]

/** Filters name the wire words in any case; every success word matches a successful operation. */
export function parseStateFilter(value: string): StateFilter {
  const known = OPERATION_STATUS_WORDS.find((word) => word.toLowerCase() === value.trim().toLowerCase())
  if (!known) {
    throw errors.badRequest(
      `Unknown status filter '${value}'. Use one of: ${OPERATION_STATUS_WORDS.join(', ')}.`,
    )
  }
  return known
}

export function matchesState(operation: Operation, filter: StateFilter): boolean {
  const word = operationStatus(operation, 'succeeded')
  if (filter === 'complete' || filter === 'completed' || filter === 'succeeded') return word === 'succeeded'
  return word === filter
}
