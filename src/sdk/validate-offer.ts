import { fieldPath, type Problem } from '../offer-types/problems.ts'
import { findPublishabilityProblems } from '../offer-types/publishability.ts'
import { isPlainObject } from '../offer-types/secret-fields.ts'
import { OFFER_ID_PATTERN, type Offer, type OfferDefinition } from '../offers/offer.ts'
import { findOfferInputProblems } from '../offers/offer-input.ts'

/**
 * What is wrong with an offer document, and how the service would take it:
 * - `invalid`: a PUT refuses it (400);
 * - `unpublishable`: a PUT keeps it as a draft, but publish refuses it (422);
 * - `blocker`: publish starts, and certification blocks on it (the operation fails).
 */
export type OfferProblemKind = 'invalid' | 'unpublishable' | 'blocker'

export interface OfferProblem {
  readonly kind: OfferProblemKind
  /** Segments from the document's root; numbers are array indices. */
  readonly path: readonly (string | number)[]
  /** The path as the service's messages write it: `definition.plans[0]['microsoft-azure-…']`. */
  readonly field: string
  /** Never quotes the value (it may be a secret). */
  readonly message: string
}

export interface OfferValidation {
  /** No problem of the kinds checked. */
  readonly valid: boolean
  readonly problems: readonly OfferProblem[]
}

export interface ValidateOfferOptions {
  /** Check only what a PUT checks: a draft may be incomplete. Default false (publishability too). */
  readonly draftOnly?: boolean
  /** The publisher and offer of the URL it would be PUT to, when the document leaves them out. */
  readonly publisherId?: string
  readonly offerId?: string
  /**
   * The stored offer's type, for a document that updates an offer and leaves `offerTypeId` out.
   * Without it the document is checked as a create.
   */
  readonly offerTypeId?: string
}

/**
 * Checks an offer document locally, with the validation the server runs: the per-type checks of
 * PUT (reference E6, docs/compatibility.md W8) and, unless `draftOnly`, those of publish (E7, P11).
 *
 * @example
 * const { valid, problems } = validateOffer(JSON.parse(await readFile('offer.json', 'utf8')))
 * for (const problem of problems) console.log(`${problem.field}: ${problem.message}`)
 */
export function validateOffer(document: unknown, options: ValidateOfferOptions = {}): OfferValidation {
  if (!isPlainObject(document)) {
    return result([
      problem('invalid', { path: [], message: 'must be an offer: a JSON object with a definition' }),
    ])
  }
  const target = {
    publisherId: options.publisherId ?? stringField(document, 'publisherId'),
    offerId: options.offerId ?? stringField(document, 'id'),
  }
  const creating = options.offerTypeId === undefined
  const problems: OfferProblem[] = []
  if (creating && target.offerId !== '' && !OFFER_ID_PATTERN.test(target.offerId)) {
    problems.push(
      problem('invalid', {
        path: ['id'],
        message:
          'is not a valid offer id: lowercase letters, digits, - and _, at most 50 characters, not ending in -',
      }),
    )
  }
  const current = creating ? undefined : storedOffer(target, options.offerTypeId as string)
  const input = findOfferInputProblems(document, target, current)
  for (const found of input.problems) problems.push(problem('invalid', found))
  if (input.offerTypeId === undefined && problems.length === 0) {
    // Only when the stored type given is one this server does not know: nothing could check it.
    problems.push(problem('invalid', { path: ['offerTypeId'], message: 'is not a supported offer type' }))
  }
  if (options.draftOnly || problems.length > 0 || input.offerTypeId === undefined) return result(problems)
  const publishability = findPublishabilityProblems({
    ...storedOffer(target, input.offerTypeId),
    definition: document.definition as OfferDefinition,
  })
  problems.push(...publishability.rejections.map((found) => problem('unpublishable', found)))
  problems.push(...publishability.blockers.map((found) => problem('blocker', found)))
  return result(problems)
}

function result(problems: OfferProblem[]): OfferValidation {
  return { valid: problems.length === 0, problems }
}

function problem(kind: OfferProblemKind, found: Problem): OfferProblem {
  return { kind, path: found.path, field: fieldPath(found.path), message: found.message }
}

function stringField(document: Record<string, unknown>, name: string): string {
  const value = document[name]
  return typeof value === 'string' ? value : ''
}

/** The offer as the server would hold it, for the checks that take one. */
function storedOffer(target: { publisherId: string; offerId: string }, offerTypeId: string): Offer {
  return {
    publisherId: target.publisherId,
    id: target.offerId,
    offerTypeId,
    status: 'neverPublished',
    version: 1,
    definition: { displayText: '' },
    extras: {},
    changedTime: '',
  }
}
