import { errors } from '../errors/errors.ts'
import { validateDefinition } from '../offer-types/offer-type-rules.ts'
import { isKnownOfferType, OFFER_TYPES, type OfferTypeId } from '../offer-types/offer-types.ts'
import { describeProblems, type Problem } from '../offer-types/problems.ts'
import { isPlainObject } from '../offer-types/secret-fields.ts'
import { OFFER_ID_PATTERN, type Offer, type OfferDefinition } from './offer.ts'

/** What a PUT may write: the rest of its body is the server's (reference §4.2, E6). */
export interface OfferInput {
  readonly offerTypeId: OfferTypeId
  readonly definition: OfferDefinition
  /** Envelope fields kept verbatim (offerTypeVersions, unknown ones), in the body's order. */
  readonly extras: Record<string, unknown>
}

/** Written by the server only: a body may carry them (clients PUT back what they GET); they are ignored. */
const SERVER_FIELDS = new Set(['status', 'version', 'changedTime'])
/**
 * Envelope fields the service sets on migrated offers (§1.3, §4.2). A PUT cannot change them: the
 * stored values are kept wherever the body has them, or added after its own fields.
 */
const SERVER_EXTRAS = ['pcMigrationStatus', 'pcRedirectUri', 'isvUpgradeRequest'] as const
const ENVELOPE_FIELDS = new Set(['id', 'publisherId', 'offerTypeId', 'definition'])
/** A 400 names at most this many problems, and counts the rest. */
const MAX_PROBLEMS_SHOWN = 50

/**
 * Reads a PUT body: identity fields bound to the URL, the offer type fixed at creation, the
 * definition valid for its type. Every problem found is named in one 400.
 */
export function readOfferInput(
  body: unknown,
  target: { readonly publisherId: string; readonly offerId: string },
  current: Offer | undefined,
): OfferInput {
  if (!isPlainObject(body)) {
    throw errors.badRequest('The request body must be an offer: a JSON object with a definition.')
  }
  if (!current && !OFFER_ID_PATTERN.test(target.offerId)) {
    throw errors.badRequest(
      `'${target.offerId}' is not a valid offer id: lowercase letters, digits, - and _, at most 50 characters, not ending in -.`,
    )
  }
  const { offerTypeId, problems } = findOfferInputProblems(body, target, current)
  if (problems.length > 0 || !offerTypeId) {
    throw errors.badRequest(`The offer is invalid: ${describeProblems(problems, MAX_PROBLEMS_SHOWN)}.`)
  }
  return {
    offerTypeId,
    definition: body.definition as OfferDefinition,
    extras: extrasOf(body, current?.extras ?? {}),
  }
}

/**
 * Every problem of a PUT body, each with its path; the offer type when it is known. The SDK's
 * `validateOffer` runs this too, so that a document is checked locally exactly as a PUT checks it.
 */
export function findOfferInputProblems(
  body: Record<string, unknown>,
  target: { readonly publisherId: string; readonly offerId: string },
  current: Offer | undefined,
): { readonly offerTypeId: OfferTypeId | undefined; readonly problems: Problem[] } {
  const problems: Problem[] = []
  for (const [field, expected] of [
    ['id', target.offerId],
    ['publisherId', target.publisherId],
  ] as const) {
    if (field in body && body[field] !== expected) {
      problems.push({ path: [field], message: `must be '${expected}', as in the URL, or left out` })
    }
  }
  const offerTypeId = readOfferType(body.offerTypeId, current, problems)
  if (body.definition === undefined) problems.push({ path: ['definition'], message: 'is required' })
  // Not push(...spread): a spread of 100,000 problems overflows the call stack.
  else if (offerTypeId)
    for (const found of validateDefinition(offerTypeId, body.definition, 'put')) problems.push(found)
  for (const found of offerTypeVersionsProblems(body.offerTypeVersions)) problems.push(found)
  return { offerTypeId, problems }
}

function readOfferType(
  value: unknown,
  current: Offer | undefined,
  problems: Problem[],
): OfferTypeId | undefined {
  if (current) {
    if (value !== undefined && value !== current.offerTypeId) {
      problems.push({
        path: ['offerTypeId'],
        message: `cannot change: the offer is a ${current.offerTypeId} offer`,
      })
    }
    return isKnownOfferType(current.offerTypeId) ? current.offerTypeId : undefined
  }
  if (value === undefined) {
    problems.push({ path: ['offerTypeId'], message: 'is required to create an offer' })
    return undefined
  }
  if (typeof value !== 'string' || !isKnownOfferType(value)) {
    problems.push({
      path: ['offerTypeId'],
      message: `must be a supported offer type: ${OFFER_TYPES.map((type) => type.id).join(', ')}`,
    })
    return undefined
  }
  return value
}

function offerTypeVersionsProblems(value: unknown): Problem[] {
  if (value === undefined) return []
  if (!isPlainObject(value)) return [{ path: ['offerTypeVersions'], message: 'must be object' }]
  return Object.entries(value)
    .filter(([, version]) => !Number.isInteger(version))
    .map(([namespace]) => ({ path: ['offerTypeVersions', namespace], message: 'must be integer' }))
}

function extrasOf(
  body: Record<string, unknown>,
  stored: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const serverExtras = new Set<string>(SERVER_EXTRAS)
  // Entries, not assignments: a key such as __proto__ stays a key like any other.
  const extras: [string, unknown][] = []
  for (const [key, value] of Object.entries(body)) {
    // An ETag in a body (the reference's create example has one; some clients copy the header in)
    // describes the copy it came with: stored, it would outlive the change that made it stale.
    if (ENVELOPE_FIELDS.has(key) || SERVER_FIELDS.has(key) || key.toLowerCase() === 'etag') continue
    if (!serverExtras.has(key)) extras.push([key, value])
    else if (Object.hasOwn(stored, key)) extras.push([key, stored[key]])
  }
  const given = new Set(extras.map(([key]) => key))
  for (const key of SERVER_EXTRAS) {
    if (Object.hasOwn(stored, key) && !given.has(key)) extras.push([key, stored[key]])
  }
  return Object.fromEntries(extras)
}
