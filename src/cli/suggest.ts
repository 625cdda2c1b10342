/**
 * "Did you mean …": the candidates closest to what was typed, as git and npm answer a typo. Close
 * means an edit distance (optimal string alignment: a swap of two neighbours is one edit) of at
 * most a third of the word, at least 1; or the word is the start of exactly the candidate.
 */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3))
  const scored = candidates
    .map((candidate) => ({ candidate, distance: editDistance(typed, candidate) }))
    .filter(
      ({ candidate, distance }) => distance <= limit || (typed.length >= 3 && candidate.startsWith(typed)),
    )
  const best = Math.min(...scored.map(({ distance }) => distance))
  return scored.filter(({ distance }) => distance === best).map(({ candidate }) => candidate)
}

/** `; did you mean 'x'?`, `; did you mean 'x' or 'y'?`, or nothing. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  return phrase(closest(typed, candidates))
}

/** As didYouMean, for words that stand for longer names: the word `list` for `keys list`. */
export function didYouMeanNamed(
  typed: string,
  words: readonly (readonly [word: string, name: string])[],
): string {
  const found = new Set(
    closest(
      typed,
      words.map(([word]) => word),
    ),
  )
  return phrase([...new Set(words.filter(([word]) => found.has(word)).map(([, name]) => name))])
}

function phrase(found: readonly string[]): string {
  if (found.length === 0) return ''
  const quoted = found.map((candidate) => `'${candidate}'`)
  const last = quoted.pop()
  return `; did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ` : ''}${last}?`
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1)
      ;(rows[i] as number[])[j] = best
    }
  }
  return at(a.length, b.length)
}
