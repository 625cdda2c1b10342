import type { Offer } from '../../offers/offer.ts'
import { marketplaceOfferKeys } from './marketplace-keys.ts'
import { SAMPLE_PUBLISHER_ID } from './sample-publisher.ts'

const TYPE = 'microsoft-azure-applications'
const PACKAGES = 'https://contosopackages.blob.core.windows.net/packages'
/** The built-in Azure role "Owner"; a managed application names such roles for its publisher's access. */
const OWNER_ROLE_DEFINITION_ID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'

/** What every plan of the offer shares (reference §8.2). */
function plan(planId: string, title: string, skuType: string, pkg: Record<string, unknown>) {
  return {
    planId,
    regions: ['US', 'CA', 'GB'],
    [`${TYPE}.skuTitle`]: title,
    [`${TYPE}.skuSummary`]: `${title}, deployed into your subscription.`,
    [`${TYPE}.skuDescription`]: `${title}: a web front end, an API and a managed database.`,
    [`${TYPE}.skuType`]: skuType,
    [`${TYPE}.cloudAvailability`]: ['PublicAzure'],
    [`${TYPE}.certificationsAzureGovernment`]: [],
    [`${TYPE}.package`]: { '1.0.0': pkg },
  }
}

/**
 * A never-published Azure application offer with a solution template plan and a managed application
 * plan (§8.1), the key names as a public publishing script sent them (§8.2).
 */
export function neverPublishedAzureApplicationOffer(changedTime: string): Offer {
  return {
    publisherId: SAMPLE_PUBLISHER_ID,
    id: 'contoso-web-platform',
    offerTypeId: TYPE,
    status: 'neverPublished',
    version: 1,
    definition: {
      displayText: 'Contoso Web Platform',
      offer: {
        ...marketplaceOfferKeys({
          title: 'Contoso Web Platform',
          summary: 'A three-tier web platform in one deployment.',
          longSummary: 'A web front end, an API and a managed database, wired together and monitored.',
          description: '<p>Deploy the Contoso Web Platform into your own subscription.</p>',
          marketingId: 'contoso-web-platform',
          categoryMap: [
            { categoryL1: 'compute-azure-apps', 'categoryL2-compute-azure-apps': ['appInfrastructure'] },
            { categoryL1: 'web', 'categoryL2-web': ['web-apps'] },
          ],
        }),
        'microsoft-azure-marketplace.cspOfferOptIn': false,
        [`${TYPE}.gtmMaterials`]: '',
        [`${TYPE}.managerContactName`]: 'Jon Doe',
        [`${TYPE}.managerContactEmail`]: 'jondoe@contoso.com',
        [`${TYPE}.managerContactPhone`]: '555-555-5555',
      },
      plans: [
        plan('solution-template', 'Contoso Web Platform', 'solution template', {
          packageVersion: { packageFile: `${PACKAGES}/solution-template-1.0.0.zip` },
        }),
        {
          ...plan('managed-app', 'Contoso Web Platform, managed', 'managed application', {
            packageVersion: {
              packageFile: `${PACKAGES}/managed-app-1.0.0.zip`,
              tenantId: '4b2f7c1e-3a5d-4c6e-9f8a-1d2e3c4b5a69',
            },
            authorizations: [
              {
                principalId: '9f8e2c4a-1b3d-4e5f-8a7b-6c5d4e3f2a1b',
                roleDefinitionId: OWNER_ROLE_DEFINITION_ID,
              },
            ],
            policies: [],
            publisherJitAccessPolicy: { jitAccessEnabled: false },
            ApplicationLockingPolicies: { CanEnableCustomerActions: false },
          }),
          monthlyPricing: { multiplier: { currency: 'USD', single: 99 } },
          monthlyPricingV2: { multiplier: { currency: 'USD', single: 99 } },
        },
      ],
    },
    extras: {},
    changedTime,
  }
}
