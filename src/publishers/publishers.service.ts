import type { AuditStore } from '../audit/audit.store.ts'
import type { AuditRecorder } from '../audit/record-change.ts'
import { type Caller, isStoreAdministrator } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import { formatTimestamp } from '../timestamps.ts'
import { type NewPublisher, newPublisher, type Publisher } from './publisher.ts'
import type { PublisherBody } from './publishers.schema.ts'
import type { PublisherStore } from './publishers.store.ts'

/** Publisher namespaces: listing them for a caller, creating them (administration). */
export interface PublisherService {
  /**
   * The namespaces the caller holds a grant on, by id; every one for the store administrator; none
   * for a token of an unregistered application.
   */
  list(caller: Caller): Promise<Publisher[]>
  /** Administration: the namespace, whoever holds it. */
  find(publisherId: string): Promise<Publisher | undefined>
  /** Creates a namespace with a new one's defaults; 400 for a bad id or seller id, 409 when the id is taken. */
  create(request: NewPublisher): Promise<Publisher>
}

export function createPublisherService(deps: {
  publishers: PublisherStore
  clock: Clock
  /** One unit of work: the namespace and its audit record commit together. */
  transaction<T>(work: (set: { publishers: PublisherStore; audit: AuditStore }) => Promise<T>): Promise<T>
  audit: AuditRecorder
}): PublisherService {
  return {
    async list(caller) {
      if (isStoreAdministrator(caller)) return deps.publishers.listPublishers()
      if (caller.principalId === undefined) return []
      return deps.publishers.listPublishersGrantedTo(caller.principalId)
    },
    find: (publisherId) => deps.publishers.findPublisher(publisherId),
    async create(request) {
      const publisher = newPublisher(request)
      await deps.transaction(async (set) => {
        if (!(await set.publishers.createPublisher(publisher, formatTimestamp(deps.clock.now())))) {
          throw errors.publisherIdTaken(publisher.id)
        }
        await deps.audit.record(set.audit, {
          action: 'publisher.create',
          publisherId: publisher.id,
          outcome: 'created',
          details: {
            displayText: publisher.displayText,
            ...(publisher.sellerId === undefined ? {} : { sellerId: publisher.sellerId }),
          },
        })
      })
      return publisher
    },
  }
}

/** A publisher as `GET /api/publishers` shows it. */
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
