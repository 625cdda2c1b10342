/**
 * The database cannot be reached or stopped answering: a condition of the service, not of the
 * request. The API answers it with 503 (and the token service with its server error), and the next
 * request tries again, so the server recovers by itself when the database comes back.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is not available.', { cause })
    this.name = 'DatabaseUnavailableError'
  }
}

/** Node's network errors and PostgreSQL's connection-exception (08), shutdown (57P0x) and cancel (57014) states. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '57014',
])

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true
  const message = (error as { message?: unknown })?.message
  // pg's own wording when a connection cannot be had or dies mid-query.
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection is closed|Client has encountered a connection error|database is locked/i.test(
      message,
    )
  )
}
