import { Type } from 'typebox'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { DEFINITION_SCHEMAS } from '../offer-types/offer-type-rules.ts'
import { OFFER_TYPES } from '../offer-types/offer-types.ts'
import { OFFER_STATUSES } from './offer.ts'

export const OfferStatusSchema = Type.Enum(OFFER_STATUSES, {
  description: 'Offer status, camelCase as on the wire.',
})

/** One item of `GET /api/publishers/{publisherId}/offers` (reference E3). Field order as the service sends it. */
export const OfferSummarySchema = Type.Object(
  {
    offerTypeId: Type.String({ description: 'The type of the offer, e.g. microsoft-azure-virtualmachines.' }),
    publisherId: Type.String({ description: 'The publisher namespace the offer belongs to.' }),
    status: OfferStatusSchema,
    id: Type.String({ description: 'Identifier of the offer in the publisher namespace.' }),
    version: Type.Integer({
      description: 'Current version of the offer; incremented after each publishing.',
    }),
    definition: Type.Object(
      { displayText: Type.String({ description: 'Display name of the offer.' }) },
      { description: 'Summary of the offer definition; retrieve the offer for the whole.' },
    ),
    changedTime: Type.String({ description: 'UTC time of the last change, with seven fractional digits.' }),
  },
  { $id: 'OfferSummary', description: 'Summary of an offer.' },
)

export const OfferSummaryListSchema = Type.Array(OfferSummarySchema, {
  $id: 'OfferSummaryList',
  description: 'Summaries of all offers in the publisher namespace.',
})

export const PublisherParamsSchema = Type.Object({
  publisherId: Type.String({ description: 'Publisher identifier, e.g. contoso.' }),
})

export const OfferListQuerySchema = Type.Object({
  ...ApiVersionQuerySchema.properties,
  $filter: Type.Optional(
    Type.String({
      description:
        "OData filter on offerTypeId or status, e.g. offerTypeId eq 'microsoft-azure-virtualmachines'.",
    }),
  ),
})

export const OfferParamsSchema = Type.Object({
  publisherId: Type.String({ description: 'Publisher identifier, e.g. contoso.' }),
  offerId: Type.String({ description: 'Offer identifier, e.g. contosovirtualmachine.' }),
})

export const OfferVersionParamsSchema = Type.Object({
  ...OfferParamsSchema.properties,
  version: Type.Integer({ description: 'Version of the offer: the draft’s, or an earlier published one.' }),
})

export const OfferSlotParamsSchema = Type.Object({
  ...OfferParamsSchema.properties,
  slotId: Type.String({ description: 'Draft, Preview or Production, in any case.' }),
})

export const PutOfferHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'Leave out to create, or to replace whatever is stored (409 instead with --no-loose-if-match); `*` to replace whatever is stored (last one wins); an ETag from a GET to replace only that version (412 otherwise).',
    }),
  ),
  'if-none-match': Type.Optional(
    Type.String({
      description:
        '`*`: create only; an existing offer is 409 InvalidResourceId (an extension of this server; the SDK and CLI send it when they mean to create).',
    }),
  ),
})

const DefinitionBagSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Namespaced keys (<namespace>.<field>), unknown ones kept as written.',
})

/**
 * The whole offer as GET and PUT answer it (reference E4, E6). Documentation only: the answer is
 * written by offer-response.ts, which keeps the service's field order and every unknown key.
 */
export const OfferSchema = Type.Object(
  {
    offerTypeId: Type.String({ description: 'The type of the offer, e.g. microsoft-azure-virtualmachines.' }),
    publisherId: Type.String({ description: 'The publisher namespace the offer belongs to.' }),
    status: OfferStatusSchema,
    id: Type.String({ description: 'Identifier of the offer in the publisher namespace.' }),
    version: Type.Integer({
      description: 'The version answered: the draft’s is the one being edited; publishing increments it.',
    }),
    offerTypeVersions: Type.Optional(
      Type.Record(Type.String(), Type.Integer(), {
        description: 'Schema version of each namespace, as the client wrote it.',
      }),
    ),
    pcMigrationStatus: Type.Optional(
      Type.String({ description: 'Partner Center migration: none or migrated.' }),
    ),
    pcRedirectUri: Type.Optional(Type.String({ description: 'Partner Center address of a migrated offer.' })),
    isvUpgradeRequest: Type.Optional(Type.Boolean({ description: 'Set on migrated offers.' })),
    definition: Type.Object(
      {
        displayText: Type.String({ description: 'Name of the offer in the portal.' }),
        offer: DefinitionBagSchema,
        plans: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
          description: 'Plans (SKUs), each with its planId and namespaced keys.',
        }),
      },
      {
        additionalProperties: true,
        description: 'The workload definition. Secret-typed values are never returned.',
      },
    ),
    changedTime: Type.String({
      description: 'UTC time of the last change of the draft (of the snapshot, for a published version).',
    }),
  },
  {
    $id: 'Offer',
    additionalProperties: true,
    description:
      'An offer. Other envelope fields the client wrote are kept and returned after version. The ETag header carries the draft’s ETag.',
  },
)

/** The body of a PUT (reference E6). Documentation: offer-input.ts checks it, per offer type. */
export const OfferDocumentSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'The offer id of the URL; may be left out.' })),
    publisherId: Type.Optional(Type.String({ description: 'The publisher id of the URL; may be left out.' })),
    offerTypeId: Type.Optional(
      Type.Enum(
        OFFER_TYPES.map((type) => type.id),
        { description: 'Required to create an offer; cannot change afterwards.' },
      ),
    ),
    offerTypeVersions: Type.Optional(
      Type.Record(Type.String(), Type.Integer(), { description: 'Schema version of each namespace.' }),
    ),
    definition: Type.Union(Object.values(DEFINITION_SCHEMAS), {
      description:
        'The workload definition, checked against the offer type. Unknown keys are kept. Secret-typed values are sealed and never returned.',
    }),
  },
  {
    $id: 'OfferDocument',
    additionalProperties: true,
    description:
      'An offer to create or replace. status, version, changedTime and eTag are the server’s and ignored.',
  },
)
