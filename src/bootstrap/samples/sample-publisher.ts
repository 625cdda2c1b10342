import type { NewPublisher } from '../../publishers/publisher.ts'

export const SAMPLE_PUBLISHER_ID = 'contoso'

/** The publisher the development principal owns, shaped like the reference's example (§4.1). */
export const SAMPLE_PUBLISHER: NewPublisher = Object.freeze({
  id: SAMPLE_PUBLISHER_ID,
  displayText: 'Contoso',
  sellerId: 1234567,
})
