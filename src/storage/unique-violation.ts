/**
 * Whether a database error says a UNIQUE or PRIMARY KEY constraint refused a row, in SQLite's words
 * or PostgreSQL's code (23505). Units of work that race (two replicas publishing the same offer)
 * lose this way; they are retried, and the retry reads the winner's rows.
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return code === '23505' || (typeof message === 'string' && /UNIQUE constraint failed/.test(message))
}
