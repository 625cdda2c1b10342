import { type TSchema, Type } from 'typebox'
import { marketplaceOfferKeys } from './marketplace.schema.ts'
import {
  AnyList,
  COUNTRY_PATTERN,
  Flag,
  namespaced,
  OpenObject,
  optional,
  PLAN_ID_PATTERN,
  Text,
  Url,
  VersionMap,
} from './schema-kit.ts'

export const VIRTUAL_MACHINES = 'microsoft-azure-virtualmachines'
/** Disk versions a VM plan may hold (§7.1). */
export const MAX_VM_IMAGES = 8
/** Data disks per image (§7.1). */
export const MAX_DATA_DISKS = 15

export const CLOUDS = ['PublicAzure', 'Fairfax', 'Mooncake', 'Blackforest'] as const
export const OS_FAMILIES = ['Windows', 'Linux'] as const

/** `virtualMachinePricing` and its V2 twin (§7.2): license model, free trial and prices. */
export const VmPricing = (description: string) =>
  OpenObject(
    optional({
      isByol: Flag('Bring your own license: no Marketplace software charge.'),
      freeTrialDurationInMonths: Type.Integer({ minimum: 0, description: 'Free trial; 0 is none.' }),
      coreMultiplier: OpenObject(
        optional({
          currency: Text('Currency of the prices.'),
          single: Type.Number({ minimum: 0, description: 'One price per core.' }),
          individually: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
            description: 'A price per core size (sharedcore, 1core, …).',
          }),
        }),
        'Prices per core.',
      ),
      spreadSheetPricing: OpenObject(
        { uri: Url('Where the pricing spreadsheet is.') },
        'Spreadsheet pricing.',
      ),
    }),
    description,
  )

const VmImage = OpenObject(
  {
    osVhdUrl: Url('SAS URI of the OS disk.'),
    lunVhdDetails: Type.Optional(
      Type.Array(Type.Unknown(), { maxItems: MAX_DATA_DISKS, description: 'Data disks.' }),
    ),
  },
  'A disk version of the plan.',
)

/** A plan (SKU) of a VM offer (§7.1). */
export const VmPlanSchema = OpenObject(
  {
    planId: Type.String({ pattern: PLAN_ID_PATTERN, description: 'Plan (SKU) id.' }),
    ...optional({
      regions: Type.Array(Type.String({ pattern: COUNTRY_PATTERN }), {
        description: 'Countries and regions where the plan is sold.',
      }),
      virtualMachinePricing: VmPricing('License model and prices.'),
      virtualMachinePricingV2: VmPricing('License model and prices (simplified currency pricing).'),
    }),
    ...namespaced(VIRTUAL_MACHINES, {
      skuTitle: Text('Plan title.'),
      skuSummary: Text('Plan summary.'),
      skuDescription: Text('Plan description.'),
      hideSKUForSolutionTemplate: Flag('Hide the plan from the Marketplace.'),
      cloudAvailability: Type.Array(Type.Enum(CLOUDS), { description: 'Clouds the plan is offered in.' }),
      certificationsFairfax: AnyList('Azure Government certifications.'),
      supportsAcceleratedNetworking: Flag('The image supports accelerated networking.'),
      operatingSystemFamily: Type.Enum(OS_FAMILIES, { description: 'Windows or Linux.' }),
      windowsOSType: Text('Windows OS type.'),
      osType: Text('OS vendor or type.'),
      operationSystem: Text('OS name shown to customers (the reference spells it so).'),
      operatingSystem: Text('OS name shown to customers.'),
      recommendedVMSizes: Type.Array(Type.String(), { maxItems: 6, description: 'Recommended VM sizes.' }),
      openPorts: AnyList('Ports to open.'),
      vmImages: VersionMap(VmImage, 'Disk versions, keyed by major.minor.patch (at most 8).'),
    }),
  },
  'A plan (SKU) of a VM offer.',
)

/** The offer keys of a VM offer: the marketplace block and the VM namespace's own (§6.2). */
export const vmOfferKeys: Record<string, TSchema> = {
  ...marketplaceOfferKeys,
  ...namespaced(VIRTUAL_MACHINES, {
    gtmMaterials: Text('Go-to-market materials.'),
    managerContactName: Text('Manager contact.'),
    managerContactEmail: Text('Manager contact e-mail.'),
    managerContactPhone: Text('Manager contact phone.'),
  }),
}
