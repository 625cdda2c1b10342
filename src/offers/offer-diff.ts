import { diffOffers } from '../sdk/diff.ts'
import type { Offer } from './offer.ts'

/** A replacement rewriting a whole 20 KB definition stays a record of bounded size. */
const MAX_CHANGES = 200

/**
 * What a PUT changed in the draft, for its audit record: each key added, removed or changed, with
 * its JSON path, matched as `cloudpartner offers diff` matches (plans by planId). The SDK's diff is
 * pure and imports nothing, so the server uses the same one. Both drafts are as stored, without
 * their secret values (offer-secrets.ts), so a record never holds one.
 */
export function offerDiff(
  before: Pick<Offer, 'definition' | 'extras'>,
  after: Pick<Offer, 'definition' | 'extras'>,
): { changes: unknown[]; changesTruncated?: true } {
  // One more than is kept: whether the record is truncated, without walking the rest.
  const changes = diffOffers(
    { ...before.extras, definition: before.definition },
    { ...after.extras, definition: after.definition },
    { limit: MAX_CHANGES + 1 },
  ).map(({ kind, jsonPath, before, after }) => ({
    kind,
    path: jsonPath,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  }))
  return changes.length > MAX_CHANGES
    ? { changes: changes.slice(0, MAX_CHANGES), changesTruncated: true }
    : { changes }
}
