import { type TSchema, Type } from 'typebox'
import { marketplaceOfferKeys } from './marketplace.schema.ts'
import {
  AnyList,
  AnyObject,
  COUNTRY_PATTERN,
  Guid,
  namespaced,
  OpenObject,
  optional,
  PLAN_ID_PATTERN,
  Text,
  Url,
  VersionMap,
} from './schema-kit.ts'
import { CLOUDS } from './virtual-machines.schema.ts'

export const AZURE_APPLICATIONS = 'microsoft-azure-applications'

/** `monthlyPricing` and its V2 twin, as Microsoft's own contracts shaped monthly prices (§7.2, §8.2). */
const MonthlyPricing = (description: string) =>
  OpenObject(
    optional({
      multiplier: OpenObject(
        optional({
          currency: Text('Currency of the price.'),
          single: Type.Number({ minimum: 0, description: 'Monthly price.' }),
        }),
        'One price, converted for every market.',
      ),
      regionPrices: AnyObject('Prices per market.'),
      regions: Type.Array(Type.String(), { description: 'Markets the prices apply to.' }),
    }),
    description,
  )

/** One package version of a plan (§8.1, §8.2). */
const Package = OpenObject(
  {
    packageVersion: OpenObject(
      {
        packageFile: Url('Public URL of the .zip package.'),
        tenantId: Type.Optional(Guid('Azure AD tenant of a managed application.')),
      },
      'The package file.',
    ),
    ...optional({
      authorizations: Type.Array(
        OpenObject(
          {
            principalId: Guid('User, group or application given access.'),
            roleDefinitionId: Guid('Built-in role it is given, e.g. Owner.'),
          },
          'Publisher access to the managed resource group.',
        ),
        { description: 'Publisher access to the managed resource group (managed applications).' },
      ),
      policies: AnyList('Azure policies applied to the managed application.'),
      publisherJitAccessPolicy: AnyObject('Just-in-time access settings.'),
      ApplicationLockingPolicies: AnyObject('Locking settings.'),
    }),
  },
  'A package version of the plan.',
)

/** A plan (SKU) of an Azure application: a solution template or a managed application (§8). */
export const AppPlanSchema = OpenObject(
  {
    planId: Type.String({ pattern: PLAN_ID_PATTERN, description: 'Plan (SKU) id.' }),
    ...optional({
      regions: Type.Array(Type.String({ pattern: COUNTRY_PATTERN }), {
        description: 'Countries and regions where the plan is sold.',
      }),
      monthlyPricing: MonthlyPricing('Monthly price of a managed application.'),
      monthlyPricingV2: MonthlyPricing('Monthly price (simplified currency pricing).'),
    }),
    ...namespaced(AZURE_APPLICATIONS, {
      skuTitle: Text('Plan title.'),
      skuSummary: Text('Plan summary.'),
      skuDescription: Text('Plan description.'),
      skuType: Text('Solution template or managed application.'),
      cloudAvailability: Type.Array(Type.Enum(CLOUDS), { description: 'Clouds the plan is offered in.' }),
      certificationsAzureGovernment: AnyList('Azure Government certifications.'),
      package: VersionMap(Package, 'Package versions, keyed by major.minor.patch.'),
    }),
  },
  'A plan (SKU) of an Azure application offer.',
)

/** The offer keys of an Azure application: the marketplace block and the applications namespace's own. */
export const appOfferKeys: Record<string, TSchema> = {
  ...marketplaceOfferKeys,
  ...namespaced(AZURE_APPLICATIONS, {
    gtmMaterials: Text('Go-to-market materials.'),
    managerContactName: Text('Manager contact.'),
    managerContactEmail: Text('Manager contact e-mail.'),
    managerContactPhone: Text('Manager contact phone.'),
  }),
}
