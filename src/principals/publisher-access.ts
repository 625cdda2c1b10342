import { errors } from '../errors/errors.ts'
import type { Publisher } from '../publishers/publisher.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import type { Role } from './principal.ts'
import type { PrincipalStore } from './principals.store.ts'

/**
 * Decides whether a principal may act on a publisher namespace. The grant is checked before the
 * namespace's existence, so a principal without a grant gets 403 whether or not the namespace
 * exists: it never learns which namespaces exist. Both roles may read, write and publish offers.
 */
export function createPublisherAccess(deps: { principals: PrincipalStore; publishers: PublisherStore }) {
  return {
    async requirePublisher(
      principalId: string,
      publisherId: string,
    ): Promise<{ publisher: Publisher; role: Role }> {
      const role = await deps.principals.findRole(principalId, publisherId)
      if (!role) throw errors.forbidden(publisherId)
      const publisher = await deps.publishers.findPublisher(publisherId)
      if (!publisher) throw errors.publisherNotFound(publisherId)
      return { publisher, role }
    },
  }
}

export type PublisherAccess = ReturnType<typeof createPublisherAccess>
