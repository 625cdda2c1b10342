import { Type } from 'typebox'

export const OfferTypeSchema = Type.Object(
  {
    id: Type.String({ description: 'Offer type identifier, the offerTypeId of offers of this type.' }),
    displayText: Type.String({ description: 'Display name of the offer type.' }),
  },
  { $id: 'OfferType', description: 'An offer type the service supports.' },
)

export const OfferTypeListSchema = Type.Array(OfferTypeSchema, {
  $id: 'OfferTypeList',
  description: 'The offer types the service supports.',
})
