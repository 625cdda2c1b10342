import type { Caller } from '../auth/caller.ts'
import type { Publisher } from './publisher.ts'
import type { PublisherBody } from './publishers.schema.ts'
import type { PublisherStore } from './publishers.store.ts'

export function createPublisherService(deps: { publishers: PublisherStore }) {
  return {
    /** The namespaces the caller holds a grant on; none for a token of an unregistered application. */
    async listPublishers(caller: Caller): Promise<PublisherBody[]> {
      if (caller.principalId === undefined) return []
      return (await deps.publishers.listPublishersGrantedTo(caller.principalId)).map(toPublisherBody)
    },
  }
}

export type PublisherService = ReturnType<typeof createPublisherService>

export function toPublisherBody(publisher: Publisher): PublisherBody {
  return {
    id: publisher.id,
    version: publisher.version,
    definition: {
      displayText: publisher.displayText,
      offerTypeCategories: [...publisher.offerTypeCategories],
      ...(publisher.sellerId === undefined ? {} : { sellerId: publisher.sellerId }),
    },
  }
}
