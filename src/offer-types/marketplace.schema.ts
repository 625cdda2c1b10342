import type { TSchema } from 'typebox'
import { Type } from 'typebox'
import {
  AnyList,
  AnyObject,
  CategoryMap,
  Flag,
  Guid,
  LinkList,
  namespaced,
  Text,
  TextList,
  UrlOrEmpty,
} from './schema-kit.ts'

export const MARKETPLACE = 'microsoft-azure-marketplace'
export const TEST_DRIVE = 'microsoft-azure-marketplace-testdrive'

/**
 * The lead destinations' settings (§6.2). Their members were never documented for this API; the
 * credentials among them are secret-typed (offers/offer-secrets.ts).
 */
export const LEAD_CONFIGURATIONS = [
  'tableLeadConfiguration',
  'blobLeadConfiguration',
  'salesForceLeadConfiguration',
  'crmLeadConfiguration',
  'httpsEndpointLeadConfiguration',
  'marketoLeadConfiguration',
] as const

const leadConfigurations = Object.fromEntries(
  LEAD_CONFIGURATIONS.map((name) => [name, AnyObject(`Settings of a lead destination (${name}).`)]),
)

/**
 * The `microsoft-azure-marketplace.*` and `microsoft-azure-marketplace-testdrive.*` offer keys shared
 * by VM and Azure application offers (§6.2): marketing texts, logos, legal, leads and support.
 * Lengths and required keys are checked when publishing (publishability.ts), not here: a draft may be
 * incomplete.
 */
export const marketplaceOfferKeys: Record<string, TSchema> = {
  ...namespaced(MARKETPLACE, {
    title: Text('Offer title shown in the Marketplace (≤50 characters to publish).'),
    summary: Text('Short summary (≤100 characters to publish).'),
    longSummary: Text('Long summary (≤256 characters to publish).'),
    description: Text('Description; simple HTML allowed (≤3000 characters to publish).'),
    cspOfferOptIn: Flag('Opt in to the CSP reseller channel.'),
    offerMarketingUrlIdentifier: Text('Identifier in the Marketplace URL.'),
    allowedSubscriptions: Type.Array(Guid('An Azure subscription id.'), {
      description: 'Preview audience: the subscriptions that see the offer before it goes live.',
    }),
    usefulLinks: LinkList('Documentation and FAQ links.'),
    categories: TextList('Old flat category list.'),
    categoryMap: CategoryMap('Categories and subcategories (§6.4).'),
    smallLogo: UrlOrEmpty('40×40 logo.'),
    mediumLogo: UrlOrEmpty('90×90 logo.'),
    largeLogo: UrlOrEmpty('115×115 logo.'),
    wideLogo: UrlOrEmpty('255×115 logo.'),
    heroLogo: UrlOrEmpty('815×290 hero image.'),
    screenshots: AnyList('Screenshots.'),
    videos: AnyList('Videos.'),
    leadDestination: Text('Where leads go: None, or a lead destination.'),
    ...leadConfigurations,
    privacyURL: UrlOrEmpty('Privacy policy.'),
    useEnterpriseContract: Flag('Use the standard contract.'),
    customAmendments: AnyObject('Amendments to the standard contract.'),
    termsOfUse: Text('Terms of use, plain text or simple HTML.'),
    engineeringContactName: Text('Engineering contact.'),
    engineeringContactEmail: Text('Engineering contact e-mail.'),
    engineeringContactPhone: Text('Engineering contact phone.'),
    supportContactName: Text('Support contact.'),
    supportContactEmail: Text('Support contact e-mail.'),
    supportContactPhone: Text('Support contact phone.'),
    publicAzureSupportUrl: UrlOrEmpty('Support site for public Azure.'),
    fairfaxSupportUrl: UrlOrEmpty('Support site for Azure Government.'),
  }),
  ...namespaced(TEST_DRIVE, {
    enabled: Flag('Whether the offer has a test drive.'),
    videos: AnyList('Test drive videos.'),
  }),
}

/**
 * What the service adds to an offer that uses the marketplace block when a PUT lacks it, as the
 * reference's create response shows (E6): the test drive's videos and the six lead configurations.
 */
export function marketplaceOfferDefaults(): Record<string, unknown> {
  return {
    [`${TEST_DRIVE}.videos`]: [],
    ...Object.fromEntries(LEAD_CONFIGURATIONS.map((name) => [`${MARKETPLACE}.${name}`, {}])),
  }
}
