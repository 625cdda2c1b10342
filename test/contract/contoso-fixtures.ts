import type { Offer } from '../../src/offers/offer.ts'
import type { Stores } from '../../src/stores.ts'
import { T0 } from './open-fresh.ts'

/** A small never-published VM offer `vm` of publisher `contoso`, as the offer contracts start from. */
export function contosoDraft(overrides: Partial<Offer> = {}): Offer {
  return {
    publisherId: 'contoso',
    id: 'vm',
    offerTypeId: 'microsoft-azure-virtualmachines',
    status: 'neverPublished',
    version: 1,
    definition: { displayText: 'First', offer: { k: 1 }, plans: [] },
    extras: { pcMigrationStatus: 'none' },
    changedTime: T0,
    ...overrides,
  }
}

/** Creates the publisher namespace `contoso` that those offers belong to. */
export async function createContoso(stores: Stores): Promise<void> {
  await stores.publishers.createPublisher(
    { id: 'contoso', displayText: 'Contoso', offerTypeCategories: [], version: 1 },
    T0,
  )
}
