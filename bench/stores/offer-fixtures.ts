import { devOpsVmOffer, neverPublishedVmOffer } from '../../src/bootstrap/samples/virtual-machine-offers.ts'
import type { Offer, OfferStatus } from '../../src/offers/offer.ts'

const VM = 'microsoft-azure-virtualmachines'
/** The size the issue names for "a full VM offer definition". */
const FULL_VM_DEFINITION_BYTES = 20_000
const STATUSES: readonly OfferStatus[] = ['neverPublished', 'succeeded', 'waitingForPublisherReview']

/**
 * A catalog offer as listing sees it: the summary columns vary like a real namespace's, the
 * definition is small because listing never reads it (and a million 20 KB definitions would make
 * a 20 GB store to build).
 */
export function catalogOffer(publisherId: string, index: number, changedTime: string): Offer {
  const id = `offer-${String(index).padStart(6, '0')}`
  return {
    publisherId,
    id,
    offerTypeId: VM,
    status: STATUSES[index % STATUSES.length] as OfferStatus,
    version: 1 + (index % 7),
    definition: {
      displayText: `Catalog offer ${index} of ${publisherId}`,
      offer: { 'microsoft-azure-marketplace.title': `Catalog offer ${index}` },
      plans: [],
    },
    extras: {},
    changedTime,
  }
}

/**
 * A full VM offer of about 20 KB: the sample VM offer (the reference's create example) with as many
 * plans, each with image versions and data disks, as make its definition reach 20,000 bytes.
 */
export function fullVmOffer(publisherId: string, id: string, changedTime: string): Offer {
  const base = neverPublishedVmOffer(changedTime)
  const templates = [...(base.definition.plans ?? []), ...(devOpsVmOffer(changedTime).definition.plans ?? [])]
  const plans: Record<string, unknown>[] = []
  const definitionOf = () => ({ ...base.definition, displayText: `Full VM offer ${id}`, plans })
  for (let index = 0; JSON.stringify(definitionOf()).length < FULL_VM_DEFINITION_BYTES; index += 1) {
    const template = templates[index % templates.length] as Record<string, unknown>
    const images: Record<string, unknown> = {}
    for (let minor = 0; minor < 3; minor += 1) {
      images[`1.${index}.${minor}`] = {
        osVhdUrl: `https://contosoimages.blob.core.windows.net/vhds/plan-${index}-1.${index}.${minor}.vhd`,
        lunVhdDetails: [
          { lun: 0, lunVhdUrl: `https://contosoimages.blob.core.windows.net/vhds/plan-${index}-data0.vhd` },
          { lun: 1, lunVhdUrl: `https://contosoimages.blob.core.windows.net/vhds/plan-${index}-data1.vhd` },
        ],
      }
    }
    plans.push({
      ...template,
      planId: `plan-${String(index).padStart(2, '0')}`,
      [`${VM}.skuTitle`]: `Contoso App plan ${index}`,
      [`${VM}.vmImages`]: images,
    })
  }
  return { ...base, publisherId, id, definition: definitionOf() }
}

/** A never-published VM offer that passes the publishability check: the publishing benchmark's. */
export function publishableVmOffer(publisherId: string, id: string, changedTime: string): Offer {
  const base = neverPublishedVmOffer(changedTime)
  return { ...base, publisherId, id, definition: { ...base.definition, displayText: `Publishable ${id}` } }
}
