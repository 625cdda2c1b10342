import { type TSchema, Type } from 'typebox'
import { LEAD_CONFIGURATIONS } from './marketplace.schema.ts'
import {
  AnyList,
  AnyObject,
  CategoryMap,
  Flag,
  Guid,
  LinkList,
  namespaced,
  OpenObject,
  PLAN_ID_PATTERN,
  Text,
  TextList,
  Url,
  UrlOrEmpty,
  VersionMap,
} from './schema-kit.ts'
import { CLOUDS, OS_FAMILIES } from './virtual-machines.schema.ts'

export const CORE_VM = 'microsoft-azure-corevm'

/**
 * Keys the service sets and refuses on a PUT (in 2024 Debian had to strip them from the GET answer
 * before writing it back, §7.4, §10.23).
 */
export const CORE_VM_READ_ONLY_OFFER_KEYS = [`${CORE_VM}.legacyOfferId`, `${CORE_VM}.legacyPublisherId`]

/** The offer keys of a core VM offer (§7.4): everything lives under the corevm namespace. */
export const coreVmOfferKeys: Record<string, TSchema> = namespaced(CORE_VM, {
  legacyOfferId: Text('Read-only: the offer id before the move to Partner Center.'),
  legacyPublisherId: Text('Read-only: the publisher id before the move to Partner Center.'),
  title: Text('Offer title.'),
  summary: Text('Offer summary.'),
  description: Text('Offer description.'),
  allowedSubscriptions: Type.Array(Guid('An Azure subscription id.'), {
    description: 'Preview audience.',
  }),
  leadDestination: Text('Where leads go.'),
  leadNotificationEmails: Text('Who is told about leads.'),
  ...Object.fromEntries(
    LEAD_CONFIGURATIONS.map((name) => [name, AnyObject(`Settings of a lead destination (${name}).`)]),
  ),
})

const CoreVmImage = OpenObject(
  {
    osVhdUrl: Url('SAS URI of the OS disk.'),
    label: Type.Optional(Text('Label of the image.')),
    mediaName: Type.Optional(Text('Media name.')),
    description: Type.Optional(Text('Description of the image.')),
    publishedDate: Type.Optional(
      Type.String({ pattern: '^(\\d{2}/\\d{2}/\\d{4})?$', description: 'MM/DD/YYYY, or empty.' }),
    ),
    showInGui: Type.Optional(Flag('False deprecates the image.')),
    lunVhdDetails: Type.Optional(AnyList('Data disks.')),
  },
  'An image version of the plan.',
)

/** The plan keys of a core VM plan, also used by the plan's disk generations. */
const corePlanKeys: Record<string, TSchema> = namespaced(CORE_VM, {
  cloudAvailability: Type.Array(Type.Enum(CLOUDS), { description: 'Clouds the plan is offered in.' }),
  certificationsFairfax: AnyList('Azure Government certifications.'),
  leadGenerationId: Text('Lead generation id.'),
  categories: TextList('Categories.'),
  categoryMap: CategoryMap('Categories and subcategories.'),
  hideSKUForSolutionTemplate: Flag('Hide the plan from the Marketplace.'),
  imageVisibility: Flag('Whether the image is visible.'),
  defaultImageSizeGB: Text('Default OS disk size in GB (a string, as the service has it).'),
  imageType: Text('Image type, e.g. VmImage.'),
  freeTierEligible: Flag('Eligible for the free tier.'),
  hardened: Flag('Hardened image.'),
  isPremiumThirdParty: Flag('Premium third-party image.'),
  openPorts: AnyList('Ports to open.'),
  operatingSystemFamily: Type.Enum(OS_FAMILIES, { description: 'Windows or Linux.' }),
  osType: Text('OS type.'),
  osFriendlyName: Text('OS name shown to customers.'),
  recommendedVMSizes: TextList('Recommended VM sizes.'),
  supportedExtensions: AnyList('Supported VM extensions.'),
  ...Object.fromEntries(
    [
      'supportsAADLogin',
      'supportsBackup',
      'supportsClientHub',
      'supportsCloudInit',
      'supportsHub',
      'supportsHubOnOffSwitch',
      'supportsSriov',
      'isNetworkVirtualAppliance',
      'isLockedDown',
      'isCustomArmTemplateRequired',
      'supportsExtensions',
      'supportsHibernation',
      'supportsNVMe',
      'allowOnlyManagedDiskDeployments',
      'migratedOffer',
    ].map((name) => [name, Flag(`The ${name} capability.`)]),
  ),
  patchOptions: AnyObject('Patching options, e.g. {"supportsHotpatch": false}.'),
  generation: Type.Enum(['1', '2'], { description: 'Hyper-V generation, "1" or "2".' }),
  deploymentModels: Type.Array(Type.Enum(['ARM', 'RDFE']), { description: 'Deployment models.' }),
  vmImagesArchitecture: Text('Architecture of the images, e.g. X64.'),
  vmImagesPublicAzure: VersionMap(CoreVmImage, 'Image versions, keyed by major.minor.patch.'),
  skuTitle: Text('Plan title.'),
  skuSummary: Text('Plan summary.'),
  skuLongSummary: Text('Plan long summary.'),
  skuDescriptionPublicAzure: Text('Plan description (public Azure).'),
  skuDescriptionFairfax: Text('Plan description (Azure Government).'),
  skuDescriptionMooncake: Text('Plan description (Azure China).'),
  skuDescriptionBlackforest: Text('Plan description (Azure Germany).'),
  termsOfUseURL: UrlOrEmpty('Terms of use.'),
  privacyURL: UrlOrEmpty('Privacy policy.'),
  usefulLinksPublicAzure: LinkList('Links (public Azure).'),
  usefulLinksFairfax: LinkList('Links (Azure Government).'),
  usefulLinksMooncake: LinkList('Links (Azure China).'),
  usefulLinksBlackforest: LinkList('Links (Azure Germany).'),
  smallLogo: UrlOrEmpty('Small logo.'),
  mediumLogo: UrlOrEmpty('Medium logo.'),
  largeLogo: UrlOrEmpty('Large logo.'),
  wideLogo: UrlOrEmpty('Wide logo.'),
  screenshots: AnyList('Screenshots.'),
  videos: AnyList('Videos.'),
  pricingDetailsUrl: UrlOrEmpty('Pricing details.'),
})

const PlanId = Type.String({ pattern: PLAN_ID_PATTERN, description: 'Plan (SKU) id.' })

/** A disk generation of a plan: a plan-like twin, e.g. the Gen2 image of the SKU (§7.4). */
const DiskGeneration = OpenObject({ planId: PlanId, ...corePlanKeys }, 'A disk generation of the plan.')

export const CoreVmPlanSchema = OpenObject(
  {
    planId: PlanId,
    ...corePlanKeys,
    diskGenerations: Type.Optional(
      Type.Array(DiskGeneration, { description: 'Other generations of the plan, each with its own planId.' }),
    ),
  },
  'A plan (SKU) of a core VM offer.',
)
