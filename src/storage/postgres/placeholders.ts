/**
 * Our SQL uses `?` placeholders (SQLite's); PostgreSQL wants `$1, $2, …`. Question marks inside
 * string literals, quoted identifiers and comments are left alone.
 */
export function numberPlaceholders(sql: string): string {
  let out = ''
  let index = 0
  let position = 0
  while (position < sql.length) {
    const char = sql[position] as string
    if (char === "'" || char === '"') {
      const end = closingQuote(sql, position, char)
      out += sql.slice(position, end)
      position = end
    } else if (char === '-' && sql[position + 1] === '-') {
      const end = sql.indexOf('\n', position)
      const stop = end === -1 ? sql.length : end
      out += sql.slice(position, stop)
      position = stop
    } else if (char === '?') {
      index += 1
      out += `$${index}`
      position += 1
    } else {
      out += char
      position += 1
    }
  }
  return out
}

/** The index just past the quote that closes the one at `start`; a doubled quote is an escaped one. */
function closingQuote(sql: string, start: number, quote: string): number {
  let position = start + 1
  while (position < sql.length) {
    if (sql[position] === quote) {
      if (sql[position + 1] === quote) {
        position += 2
        continue
      }
      return position + 1
    }
    position += 1
  }
  return sql.length
}
