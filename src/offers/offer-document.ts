import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { MAX_DOCUMENT_DEPTH, nestsDeeperThan } from '../offer-types/nesting-depth.ts'
import { validateDefinition } from '../offer-types/offer-type-rules.ts'
import { OFFER_TYPES, type OfferTypeId } from '../offer-types/offer-types.ts'
import { jsonPointer } from '../offer-types/problems.ts'
import { PUBLISHER_ID_PATTERN } from '../publishers/publisher.ts'
import { formatTicks, isTimestamp, parseTimestamp } from '../timestamps.ts'
import { OFFER_ID_PATTERN, OFFER_STATUSES, type Offer } from './offer.ts'

/**
 * An offer as `GET /api/publishers/{publisherId}/offers/{offerId}` answers it (reference §4.2, §6.1),
 * which is what `cloudpartner import` reads. Server-controlled fields are optional here: an import
 * restores them when given (status, version, changedTime) and defaults them otherwise. Unknown
 * envelope fields (offerTypeVersions, pcMigrationStatus, ...) and unknown definition keys are kept
 * verbatim, as the service keeps them.
 */
export const OfferDocumentSchema = Type.Object(
  {
    id: Type.String({ pattern: OFFER_ID_PATTERN.source, description: 'Offer id.' }),
    publisherId: Type.String({ pattern: PUBLISHER_ID_PATTERN.source, description: 'Publisher id.' }),
    offerTypeId: Type.Enum(
      OFFER_TYPES.map((type) => type.id),
      { description: 'Offer type.' },
    ),
    status: Type.Optional(Type.Enum(OFFER_STATUSES, { description: 'Default: neverPublished.' })),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: 1.' })),
    changedTime: Type.Optional(
      Type.String({ description: 'UTC ISO-8601. Default: the time of the import.' }),
    ),
    definition: Type.Object(
      {
        displayText: Type.String({ minLength: 1, description: 'Display name of the offer.' }),
        offer: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Offer keys.' })),
        plans: Type.Optional(
          Type.Array(Type.Object({ planId: Type.String({ minLength: 1, description: 'Plan id.' }) }), {
            description: 'Plans (SKUs).',
          }),
        ),
      },
      { description: 'The workload definition.' },
    ),
  },
  { $id: 'OfferDocument', description: 'An offer to import, shaped like the GET answer.' },
)

const ENVELOPE_FIELDS = new Set([
  'id',
  'publisherId',
  'offerTypeId',
  'status',
  'version',
  'changedTime',
  'definition',
])
/** An ETag describes the copy it came with; stored, it would outlive the change that made it stale. */
const DROPPED_FIELDS = new Set(['etag'])

const PATTERN_HINTS: Readonly<Record<string, string>> = {
  '/id': 'is not a valid offer id (lowercase letters, digits, - and _; at most 50; not ending in -)',
  '/publisherId': 'is not a valid publisher id (lowercase letters, digits, - and _; at most 50)',
}
const MAX_PROBLEMS_PER_OFFER = 5

/** Checks one document and turns it into the stored form, or says everything that is wrong with it. */
export function toImportedOffer(value: unknown, now: string): { offer: Offer } | { problems: string[] } {
  if (nestsDeeperThan(value, MAX_DOCUMENT_DEPTH)) {
    return { problems: [`(the offer): nests deeper than ${MAX_DOCUMENT_DEPTH} levels`] }
  }
  const problems = Value.Errors(OfferDocumentSchema, value)
    .slice(0, MAX_PROBLEMS_PER_OFFER)
    .map((error) => describe(error, value))
  if (problems.length > 0) return { problems }
  const document = value as Record<string, unknown> & {
    id: string
    publisherId: string
    offerTypeId: string
    status?: Offer['status']
    version?: number
    changedTime?: string
    definition: Offer['definition']
  }
  const planIds = (document.definition.plans ?? []).map((plan) => String(plan.planId))
  const repeated = planIds.find((planId, index) => planIds.indexOf(planId) !== index)
  if (repeated !== undefined) return { problems: [`/definition/plans: plan id '${repeated}' appears twice`] }
  // What a PUT would refuse is not importable either; read-only keys are server state an import restores.
  const malformed = validateDefinition(document.offerTypeId as OfferTypeId, document.definition, 'import')
  if (malformed.length > 0) {
    return {
      problems: malformed
        .slice(0, MAX_PROBLEMS_PER_OFFER)
        .map((problem) => `${jsonPointer(problem.path)}: ${problem.message}`),
    }
  }
  if (document.changedTime !== undefined && !isTimestamp(document.changedTime)) {
    return {
      problems: [
        `/changedTime: '${document.changedTime}' is not a UTC time like 2017-05-23T23:33:47.8802283Z`,
      ],
    }
  }
  return {
    offer: {
      publisherId: document.publisherId,
      id: document.id,
      offerTypeId: document.offerTypeId,
      status: document.status ?? 'neverPublished',
      version: document.version ?? 1,
      definition: document.definition,
      extras: Object.fromEntries(
        Object.entries(document).filter(
          ([key]) => !ENVELOPE_FIELDS.has(key) && !DROPPED_FIELDS.has(key.toLowerCase()),
        ),
      ),
      // Always written with seven fractional digits, however many the file had.
      changedTime:
        document.changedTime === undefined ? now : formatTicks(parseTimestamp(document.changedTime)),
    },
  }
}

interface SchemaError {
  readonly keyword: string
  readonly instancePath: string
  readonly params: Readonly<Record<string, unknown>>
  readonly message: string
}

function describe(error: SchemaError, document: unknown): string {
  const path = error.instancePath === '' ? '(the offer)' : error.instancePath
  const actual = JSON.stringify(valueAt(document, error.instancePath))
  if (error.keyword === 'enum') {
    return `${path}: ${actual} is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`
  }
  if (error.keyword === 'pattern')
    return `${path}: ${actual} ${PATTERN_HINTS[error.instancePath] ?? error.message}`
  return `${path}: ${error.message}`
}

function valueAt(document: unknown, pointer: string): unknown {
  let current = document
  for (const part of pointer.split('/').slice(1)) {
    current =
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined
  }
  return current
}
