import { Type } from 'typebox'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
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
