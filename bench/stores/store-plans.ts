import type { PublisherPlan, StorePlan } from './seed-store.ts'

/** Offers of the publisher each scenario reads. */
export const LIST_PUBLISHER = 'bench-list50'
export const VM_PUBLISHER = 'bench-vm'
export const VM_OFFER = 'offer-000000'
/** Has 100 offers in both catalogs, with the same ids and content, so both answer the same bytes. */
export const HUNDRED_PUBLISHER = 'bench-p00001'
export const LARGE_PUBLISHER = 'bench-p00000'
export const PUBLISH_PUBLISHER = 'bench-pub'

const catalogId = (index: number) => `bench-p${String(index).padStart(5, '0')}`

/** The list and get benchmarks: a publisher of 50 offers, and one full VM offer of about 20 KB. */
export const SMALL_STORE: StorePlan = {
  name: 'small-v1',
  publishers: [
    { id: LIST_PUBLISHER, offers: 50, kind: 'catalog' },
    { id: VM_PUBLISHER, offers: 1, kind: 'full-vm' },
  ],
}

/** 1,000 offers: ten publishers of 100. */
export const THOUSAND_STORE: StorePlan = {
  name: 'catalog-1k-v1',
  publishers: Array.from({ length: 10 }, (_, index) => ({
    id: catalogId(index + 1),
    offers: 100,
    kind: 'catalog' as const,
  })),
}

/**
 * 1,000,000 offers over 10,000 publishers: one of 10,000 offers, 99 of 100 and 9,900 of 99
 * (10,000 + 9,900 + 980,100).
 */
export const MILLION_STORE: StorePlan = {
  name: 'catalog-1m-v1',
  publishers: Array.from(
    { length: 10_000 },
    (_, index): PublisherPlan => ({
      id: catalogId(index),
      offers: index === 0 ? 10_000 : index < 100 ? 100 : 99,
      kind: 'catalog',
    }),
  ),
}

/** Publishable VM offers, one per publish-to-live cycle the publishing benchmark may run. */
export function publishStore(offers: number): StorePlan {
  return {
    name: `publish-${offers}-v1`,
    publishers: [{ id: PUBLISH_PUBLISHER, offers, kind: 'publishable' }],
  }
}
