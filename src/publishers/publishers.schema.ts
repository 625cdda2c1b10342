import { type Static, Type } from 'typebox'

/** A publisher namespace as `GET /api/publishers` answers it (reference §4.1). */
export const PublisherSchema = Type.Object(
  {
    id: Type.String({ description: 'Publisher identifier, e.g. contoso.' }),
    version: Type.Integer({ description: 'Version of the publisher profile.' }),
    definition: Type.Object(
      {
        displayText: Type.String({ description: 'Display name of the publisher.' }),
        offerTypeCategories: Type.Array(Type.String(), {
          description: 'Offer type categories the publisher may publish.',
        }),
        sellerId: Type.Optional(
          Type.Integer({ description: 'Seller identifier, when the publisher has one.' }),
        ),
      },
      { description: 'The publisher profile.' },
    ),
  },
  { $id: 'Publisher', description: 'A publisher namespace.' },
)

export const PublisherListSchema = Type.Array(PublisherSchema, {
  $id: 'PublisherList',
  description: 'The publishers the caller has access to.',
})

export type PublisherBody = Static<typeof PublisherSchema>
