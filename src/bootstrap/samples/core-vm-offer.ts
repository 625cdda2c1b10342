import type { Offer } from '../../offers/offer.ts'
import { SAMPLE_PUBLISHER_ID } from './sample-publisher.ts'

const TYPE = 'microsoft-azure-corevm'
const VHDS = 'https://contosoimages.blob.core.windows.net/corevm'

/** An image entry of `vmImagesPublicAzure`, keyed by image version (reference §7.4). */
function image(version: string, publishedDate: string, generation: 'gen1' | 'gen2'): Record<string, unknown> {
  return {
    osVhdUrl: `${VHDS}/contoso-linux-${generation}-${version}.vhd`,
    label: `Contoso Hardened Linux ${version}`,
    mediaName: `contoso-hardened-linux-${generation}-${version.replaceAll('.', '')}`,
    description: `Contoso Hardened Linux ${version}`,
    publishedDate,
    showInGui: true,
    lunVhdDetails: [],
  }
}

/**
 * A core VM offer, the shape first-party publishers (Debian, SUSE) use: every plan key under the
 * `microsoft-azure-corevm` namespace, and a Gen2 twin of the plan in `diskGenerations`. A draft: the
 * bootstrap publishes it through the engine (sample-history.ts).
 */
export function hardenedLinuxOffer(changedTime: string): Offer {
  return {
    publisherId: SAMPLE_PUBLISHER_ID,
    id: 'contoso-hardened-linux',
    offerTypeId: TYPE,
    status: 'neverPublished',
    version: 1,
    definition: {
      displayText: 'Contoso Hardened Linux',
      offer: {
        [`${TYPE}.legacyOfferId`]: 'contoso-hardened-linux',
        [`${TYPE}.legacyPublisherId`]: SAMPLE_PUBLISHER_ID,
        [`${TYPE}.title`]: 'Contoso Hardened Linux',
        [`${TYPE}.summary`]: 'A minimal, CIS-hardened Linux image.',
        [`${TYPE}.description`]: '<p>A minimal Linux image hardened to the CIS level 2 benchmark.</p>',
        [`${TYPE}.allowedSubscriptions`]: ['59160c40-2e25-4dcf-a2fd-6514cb08bf08'],
        [`${TYPE}.leadDestination`]: 'None',
        [`${TYPE}.leadNotificationEmails`]: 'leads@contoso.com',
        [`${TYPE}.blobLeadConfiguration`]: {},
        [`${TYPE}.crmLeadConfiguration`]: {},
        [`${TYPE}.httpsEndpointLeadConfiguration`]: {},
        [`${TYPE}.marketoLeadConfiguration`]: {},
        [`${TYPE}.salesForceLeadConfiguration`]: {},
        [`${TYPE}.tableLeadConfiguration`]: {},
      },
      plans: [
        {
          planId: 'hardened-linux-12',
          [`${TYPE}.skuTitle`]: 'Contoso Hardened Linux 12',
          [`${TYPE}.skuSummary`]: 'Contoso Hardened Linux 12, Gen1.',
          [`${TYPE}.skuLongSummary`]: 'Contoso Hardened Linux 12 for Generation 1 virtual machines.',
          [`${TYPE}.skuDescriptionPublicAzure`]: 'Contoso Hardened Linux 12, CIS level 2.',
          [`${TYPE}.cloudAvailability`]: ['PublicAzure'],
          [`${TYPE}.certificationsFairfax`]: [],
          [`${TYPE}.categoryMap`]: [{ categoryL1: 'compute', 'categoryL2-compute': ['operating-systems'] }],
          [`${TYPE}.hideSKUForSolutionTemplate`]: false,
          [`${TYPE}.imageVisibility`]: true,
          [`${TYPE}.imageType`]: 'VmImage',
          [`${TYPE}.defaultImageSizeGB`]: '30',
          [`${TYPE}.freeTierEligible`]: false,
          [`${TYPE}.hardened`]: true,
          [`${TYPE}.isPremiumThirdParty`]: false,
          [`${TYPE}.openPorts`]: [],
          [`${TYPE}.operatingSystemFamily`]: 'Linux',
          [`${TYPE}.osType`]: 'Other',
          [`${TYPE}.osFriendlyName`]: 'Contoso Hardened Linux 12',
          [`${TYPE}.recommendedVMSizes`]: ['b1s-standard', 'd2s-standard-v3'],
          [`${TYPE}.supportsCloudInit`]: true,
          [`${TYPE}.supportsBackup`]: true,
          [`${TYPE}.supportsSriov`]: true,
          [`${TYPE}.supportsExtensions`]: true,
          [`${TYPE}.supportsHibernation`]: false,
          [`${TYPE}.supportsNVMe`]: false,
          [`${TYPE}.isNetworkVirtualAppliance`]: false,
          [`${TYPE}.patchOptions`]: { supportsHotpatch: false },
          [`${TYPE}.generation`]: '1',
          [`${TYPE}.deploymentModels`]: ['ARM'],
          [`${TYPE}.vmImagesArchitecture`]: 'X64',
          [`${TYPE}.vmImagesPublicAzure`]: {
            '2024.1.1': image('2024.1.1', '01/15/2024', 'gen1'),
            '2024.6.1': image('2024.6.1', '', 'gen1'),
          },
          [`${TYPE}.termsOfUseURL`]: 'https://www.contoso.com/terms',
          [`${TYPE}.privacyURL`]: 'https://www.contoso.com/privacy',
          [`${TYPE}.usefulLinksPublicAzure`]: [
            { linkTitle: 'Release notes', linkUrl: 'https://docs.contoso.com/hardened-linux' },
          ],
          [`${TYPE}.smallLogo`]: `${VHDS}/logos/small.png`,
          [`${TYPE}.mediumLogo`]: `${VHDS}/logos/medium.png`,
          [`${TYPE}.largeLogo`]: `${VHDS}/logos/large.png`,
          [`${TYPE}.wideLogo`]: `${VHDS}/logos/wide.png`,
          [`${TYPE}.screenshots`]: [],
          [`${TYPE}.videos`]: [],
          diskGenerations: [
            {
              planId: 'hardened-linux-12-gen2',
              [`${TYPE}.generation`]: '2',
              [`${TYPE}.vmImagesArchitecture`]: 'X64',
              [`${TYPE}.vmImagesPublicAzure`]: {
                '2024.1.1': image('2024.1.1', '01/15/2024', 'gen2'),
                '2024.6.1': image('2024.6.1', '', 'gen2'),
              },
            },
          ],
        },
      ],
    },
    extras: { pcMigrationStatus: 'none' },
    changedTime,
  }
}
