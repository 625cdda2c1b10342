import { errors } from '../errors/errors.ts'
import type { Publisher } from '../publishers/publisher.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import type { Role } from './principal.ts'

/**
 * Decides whether a principal may act on a publisher namespace. The grant is checked before the
 * namespace's existence, so a principal without a grant gets 403 whether or not the namespace
 * exists: it never learns which namespaces exist. Both roles may read, write and publish offers.
 * Grant and namespace are read in one query: this runs on every request of the API.
 */
export function createPublisherAccess(deps: { publishers: PublisherStore }) {
  return {
    async requirePublisher(
      principalId: string,
      publisherId: string,
    ): Promise<{ publisher: Publisher; role: Role }> {
      const grant = await deps.publishers.findGrantedPublisher(principalId, publisherId)
      if (!grant) throw errors.forbidden(publisherId)
      if (!grant.publisher) throw errors.publisherNotFound(publisherId)
      return { publisher: grant.publisher, role: grant.role }
    },
  }
}

export type PublisherAccess = ReturnType<typeof createPublisherAccess>
