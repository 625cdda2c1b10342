import type { Offer } from '../../offers/offer.ts'
import { marketplaceOfferKeys } from './marketplace-keys.ts'
import { SAMPLE_PUBLISHER_ID } from './sample-publisher.ts'

const TYPE = 'microsoft-azure-virtualmachines'
/** The schema versions the reference's create example declares (§4.2). */
const OFFER_TYPE_VERSIONS = { [TYPE]: 87, 'microsoft-azure-marketplace': 39 }
const VHDS = 'https://contosoimages.blob.core.windows.net/vhds'

/** Offer-level keys of a VM offer: the marketplace block plus the VM namespace's own (§6.2). */
function vmOfferKeys(title: string, summary: string, marketingId: string): Record<string, unknown> {
  return {
    ...marketplaceOfferKeys({
      title,
      summary,
      longSummary: `${summary} Deploy it in minutes from the Azure Marketplace.`,
      description: `<p>${summary}</p><ul><li>Preconfigured</li><li>Patched monthly</li></ul>`,
      marketingId,
      categoryMap: [
        { categoryL1: 'compute', 'categoryL2-compute': ['operating-systems'] },
        { categoryL1: 'developer-tools', 'categoryL2-developer-tools': ['tools-developer-tools'] },
      ],
    }),
    [`${TYPE}.gtmMaterials`]: '',
    [`${TYPE}.managerContactName`]: 'Jon Doe',
    [`${TYPE}.managerContactEmail`]: 'jondoe@contoso.com',
    [`${TYPE}.managerContactPhone`]: '555-555-5555',
  }
}

/** A never-published VM offer: the reference's create example (E6) as the service stores it. */
export function neverPublishedVmOffer(changedTime: string): Offer {
  return {
    publisherId: SAMPLE_PUBLISHER_ID,
    id: 'contosovirtualmachine',
    offerTypeId: TYPE,
    status: 'neverPublished',
    version: 1,
    definition: {
      displayText: 'Contoso Virtual Machine Offer',
      offer: vmOfferKeys('Contoso App', 'Contoso App makes dev ops a breeze.', 'contosoapp'),
      plans: [
        {
          planId: 'contososkuidentifier',
          [`${TYPE}.skuTitle`]: 'Contoso App',
          [`${TYPE}.skuSummary`]: 'Contoso App makes dev ops a breeze.',
          [`${TYPE}.skuDescription`]:
            'This is a description for the Contoso App that makes dev ops a breeze.',
          [`${TYPE}.hideSKUForSolutionTemplate`]: false,
          [`${TYPE}.cloudAvailability`]: ['PublicAzure'],
          [`${TYPE}.certificationsFairfax`]: [],
          virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
          [`${TYPE}.operatingSystemFamily`]: 'Windows',
          [`${TYPE}.windowsOSType`]: 'Other',
          [`${TYPE}.operationSystem`]: 'Contoso App',
          [`${TYPE}.recommendedVMSizes`]: ['a0-basic', 'a0-standard', 'a1-basic', 'a1-standard'],
          [`${TYPE}.openPorts`]: [],
          [`${TYPE}.vmImages`]: {
            '1.0.1': { osVhdUrl: `${VHDS}/contosoVM-1.0.1.vhd`, lunVhdDetails: [] },
          },
          regions: ['US', 'CA', 'GB'],
        },
      ],
    },
    extras: { offerTypeVersions: OFFER_TYPE_VERSIONS },
    changedTime,
  }
}

/**
 * A VM offer with a BYOL Windows plan and a per-core-priced Linux plan (§7.1, §7.2), as a draft: the
 * bootstrap publishes it through the engine (sample-history.ts), so it is live with a history.
 */
export function devOpsVmOffer(changedTime: string): Offer {
  return {
    publisherId: SAMPLE_PUBLISHER_ID,
    id: 'contoso-devops-vm',
    offerTypeId: TYPE,
    status: 'neverPublished',
    version: 1,
    definition: {
      displayText: 'Contoso DevOps Virtual Machine',
      offer: vmOfferKeys('Contoso DevOps', 'Build agents with every tool preinstalled.', 'contoso-devops'),
      plans: [
        {
          planId: 'windows-byol',
          [`${TYPE}.skuTitle`]: 'Contoso DevOps on Windows Server (BYOL)',
          [`${TYPE}.skuSummary`]: 'Bring your own Contoso license.',
          [`${TYPE}.skuDescription`]: 'Windows Server 2022 with the Contoso DevOps agent.',
          [`${TYPE}.hideSKUForSolutionTemplate`]: false,
          [`${TYPE}.cloudAvailability`]: ['PublicAzure'],
          [`${TYPE}.certificationsFairfax`]: [],
          virtualMachinePricing: { isByol: true, freeTrialDurationInMonths: 0 },
          [`${TYPE}.operatingSystemFamily`]: 'Windows',
          [`${TYPE}.windowsOSType`]: 'Other',
          [`${TYPE}.operationSystem`]: 'Windows Server 2022 Datacenter',
          [`${TYPE}.recommendedVMSizes`]: ['d2s-standard-v3', 'd4s-standard-v3'],
          [`${TYPE}.openPorts`]: [],
          [`${TYPE}.vmImages`]: {
            '1.0.0': { osVhdUrl: `${VHDS}/devops-win-1.0.0.vhd`, lunVhdDetails: [] },
            '1.1.0': { osVhdUrl: `${VHDS}/devops-win-1.1.0.vhd`, lunVhdDetails: [] },
          },
          regions: ['US', 'CA', 'DE', 'FR', 'GB', 'JP'],
        },
        {
          planId: 'ubuntu-payg',
          [`${TYPE}.skuTitle`]: 'Contoso DevOps on Ubuntu',
          [`${TYPE}.skuSummary`]: 'Pay as you go, billed per core.',
          [`${TYPE}.skuDescription`]: 'Ubuntu 22.04 LTS with the Contoso DevOps agent.',
          [`${TYPE}.hideSKUForSolutionTemplate`]: false,
          [`${TYPE}.cloudAvailability`]: ['PublicAzure'],
          [`${TYPE}.certificationsFairfax`]: [],
          [`${TYPE}.supportsAcceleratedNetworking`]: true,
          virtualMachinePricing: {
            isByol: false,
            freeTrialDurationInMonths: 1,
            coreMultiplier: { currency: 'USD', single: 0.05 },
          },
          [`${TYPE}.operatingSystemFamily`]: 'Linux',
          [`${TYPE}.osType`]: 'Ubuntu',
          [`${TYPE}.operationSystem`]: 'Ubuntu 22.04 LTS',
          [`${TYPE}.recommendedVMSizes`]: ['ds2-standard-v2', 'd2s-standard-v3'],
          [`${TYPE}.openPorts`]: [],
          [`${TYPE}.vmImages`]: {
            '2024.6.1': { osVhdUrl: `${VHDS}/devops-ubuntu-2024.6.1.vhd`, lunVhdDetails: [] },
          },
          regions: ['US', 'CA', 'DE', 'FR', 'GB', 'JP'],
        },
      ],
    },
    extras: { offerTypeVersions: OFFER_TYPE_VERSIONS, pcMigrationStatus: 'none' },
    changedTime,
  }
}
