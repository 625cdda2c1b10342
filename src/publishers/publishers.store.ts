import type { Publisher } from './publisher.ts'

/** Storage of publisher namespaces. `find*` answers undefined when there is no such publisher. */
export interface PublisherStore {
  findPublisher(id: string): Promise<Publisher | undefined>
  /** The publishers a principal holds a grant on that exist, ordered by id. */
  listPublishersGrantedTo(principalId: string): Promise<Publisher[]>
  listPublishers(): Promise<Publisher[]>
  /** Creates the publisher; answers false, changing nothing, when the id is taken. */
  createPublisher(publisher: Publisher, createdTime: string): Promise<boolean>
}
