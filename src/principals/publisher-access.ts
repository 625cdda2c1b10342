import type { AccessCache } from '../auth/access-cache.ts'
import { type Caller, isStoreAdministrator } from '../auth/caller.ts'
import { errors } from '../errors/errors.ts'
import type { Publisher } from '../publishers/publisher.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import type { Role } from './principal.ts'

/** The one access check: what every service asks before it acts on a publisher for a caller. */
export interface PublisherAccess {
  /**
   * The publisher and the caller's role on it. The grant is checked before the namespace's
   * existence, so a caller without a grant gets 403 whether or not the namespace exists: it never
   * learns which namespaces exist. 404 when the granted namespace does not exist. Both roles may
   * read, write and publish offers; `minimumRole: 'Owner'` also refuses a Contributor (the /admin
   * controls). The store administrator holds every namespace as Owner.
   */
  require(caller: Caller, publisherId: string, minimumRole?: 'Owner'): Promise<PublisherGrantOf>
}

export interface PublisherGrantOf {
  readonly publisher: Publisher
  readonly role: Role
}

/**
 * Grant and namespace are read in one query: this runs on every request of the API. With a cache,
 * a caller authenticated at an access revision (Caller.accessRevision) is answered from what was
 * read at that revision, if anything was.
 */
export function createPublisherAccess(deps: {
  publishers: PublisherStore
  cache?: AccessCache
}): PublisherAccess {
  return {
    async require(caller, publisherId, minimumRole) {
      if (isStoreAdministrator(caller)) {
        const publisher = await deps.publishers.findPublisher(publisherId)
        if (!publisher) throw errors.publisherNotFound(publisherId)
        return { publisher, role: 'Owner' }
      }
      if (caller.principalId === undefined) throw errors.forbidden(publisherId)
      const { principalId, accessRevision } = caller
      const find = () => deps.publishers.findGrantedPublisher(principalId, publisherId)
      const grant =
        deps.cache && accessRevision !== undefined
          ? await deps.cache.grant(principalId, publisherId, accessRevision, find)
          : await find()
      if (!grant) throw errors.forbidden(publisherId)
      if (!grant.publisher) throw errors.publisherNotFound(publisherId)
      if (minimumRole === 'Owner' && grant.role !== 'Owner') throw errors.ownerRequired(publisherId)
      return { publisher: grant.publisher, role: grant.role }
    },
  }
}
