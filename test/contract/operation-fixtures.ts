import { newPublishOperation, type PublishStart } from '../../src/operations/new-operations.ts'
import type { Operation } from '../../src/operations/operation.ts'
import type { Stores } from '../../src/stores.ts'
import { T0 } from './open-fresh.ts'

/** Offers and operations for the operation store's contract. */

export const NOW = new Date('2026-11-21T10:00:00.000Z')

export async function withOffers(stores: Stores, ...ids: string[]): Promise<void> {
  await stores.offers.importOffers(
    ids.map((id) => ({
      publisherId: 'contoso',
      id,
      offerTypeId: 'microsoft-azure-virtualmachines',
      status: 'neverPublished' as const,
      version: 1,
      definition: { displayText: id, offer: {}, plans: [] },
      extras: {},
      changedTime: T0,
    })),
    T0,
    [{ id: 'contoso', displayText: 'Contoso', offerTypeCategories: [], version: 1 }],
  )
}

export function publish(
  offerId: string,
  id: string,
  overrides: Partial<PublishStart> = {},
  now = NOW,
): Operation {
  return newPublishOperation(
    {
      id,
      publisherId: 'contoso',
      offerId,
      offerTypeId: 'microsoft-azure-virtualmachines',
      publishingVersion: 1,
      offerVersion: 1,
      draftChangedTime: T0,
      previousPreviewVersion: undefined,
      migrated: false,
      notificationEmails: 'a@contoso.com',
      timing: { profile: 'realistic', timeScale: 0.001 },
      faults: [{ stepId: 'displaycertify', outcome: 'blocked', messages: ['No image.'] }],
      ...overrides,
    },
    now,
  ).operation
}

export const ID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`
