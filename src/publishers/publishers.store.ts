import type { Role } from '../principals/principal.ts'
import type { Publisher } from './publisher.ts'

/** A principal's grant on a namespace, and the namespace when it exists. */
export interface PublisherGrant {
  readonly role: Role
  readonly publisher?: Publisher
}

/** Storage of publisher namespaces. `find*` answers undefined when there is no such publisher. */
export interface PublisherStore {
  findPublisher(id: string): Promise<Publisher | undefined>
  /**
   * The principal's role on a publisher and the publisher, in one read: undefined without a grant
   * (whether or not the publisher exists), no `publisher` when the granted namespace does not exist.
   */
  findGrantedPublisher(principalId: string, publisherId: string): Promise<PublisherGrant | undefined>
  /** The publishers a principal holds a grant on that exist, ordered by id. */
  listPublishersGrantedTo(principalId: string): Promise<Publisher[]>
  listPublishers(): Promise<Publisher[]>
  /** Creates the publisher; answers false, changing nothing, when the id is taken. */
  createPublisher(publisher: Publisher, createdTime: string): Promise<boolean>
}
