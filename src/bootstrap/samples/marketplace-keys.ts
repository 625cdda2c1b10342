/**
 * The `microsoft-azure-marketplace.*` offer keys shared by VM and Azure application offers (reference
 * §6.2), as the service gives them back after a create: with its defaults (the six empty lead
 * configurations, the test drive's empty videos) filled in.
 */
export interface MarketingText {
  readonly title: string
  readonly summary: string
  readonly longSummary: string
  readonly description: string
  readonly marketingId: string
  readonly categoryMap: readonly Record<string, unknown>[]
}

const LOGOS = 'https://publishingapistore.blob.core.windows.net/publishingapi/contoso'

export function marketplaceOfferKeys(text: MarketingText): Record<string, unknown> {
  return {
    'microsoft-azure-marketplace-testdrive.enabled': false,
    'microsoft-azure-marketplace-testdrive.videos': [],
    'microsoft-azure-marketplace.title': text.title,
    'microsoft-azure-marketplace.summary': text.summary,
    'microsoft-azure-marketplace.longSummary': text.longSummary,
    'microsoft-azure-marketplace.description': text.description,
    'microsoft-azure-marketplace.offerMarketingUrlIdentifier': text.marketingId,
    'microsoft-azure-marketplace.allowedSubscriptions': ['59160c40-2e25-4dcf-a2fd-6514cb08bf08'],
    'microsoft-azure-marketplace.usefulLinks': [
      { linkTitle: `${text.title} documentation`, linkUrl: 'https://docs.contoso.com' },
    ],
    'microsoft-azure-marketplace.categoryMap': text.categoryMap,
    'microsoft-azure-marketplace.smallLogo': `${LOGOS}/${text.marketingId}/small.png`,
    'microsoft-azure-marketplace.mediumLogo': `${LOGOS}/${text.marketingId}/medium.png`,
    'microsoft-azure-marketplace.largeLogo': `${LOGOS}/${text.marketingId}/large.png`,
    'microsoft-azure-marketplace.wideLogo': `${LOGOS}/${text.marketingId}/wide.png`,
    'microsoft-azure-marketplace.screenshots': [],
    'microsoft-azure-marketplace.videos': [],
    'microsoft-azure-marketplace.leadDestination': 'None',
    'microsoft-azure-marketplace.tableLeadConfiguration': {},
    'microsoft-azure-marketplace.blobLeadConfiguration': {},
    'microsoft-azure-marketplace.salesForceLeadConfiguration': {},
    'microsoft-azure-marketplace.crmLeadConfiguration': {},
    'microsoft-azure-marketplace.httpsEndpointLeadConfiguration': {},
    'microsoft-azure-marketplace.marketoLeadConfiguration': {},
    'microsoft-azure-marketplace.privacyURL': 'https://www.contoso.com/privacy',
    'microsoft-azure-marketplace.useEnterpriseContract': false,
    'microsoft-azure-marketplace.customAmendments': {},
    'microsoft-azure-marketplace.termsOfUse': 'Use of this offer is subject to the Contoso terms of use.',
    'microsoft-azure-marketplace.engineeringContactName': 'Jon Doe',
    'microsoft-azure-marketplace.engineeringContactEmail': 'jondoe@contoso.com',
    'microsoft-azure-marketplace.engineeringContactPhone': '555-555-5555',
    'microsoft-azure-marketplace.supportContactName': 'Jane Roe',
    'microsoft-azure-marketplace.supportContactEmail': 'support@contoso.com',
    'microsoft-azure-marketplace.supportContactPhone': '555-555-5556',
    'microsoft-azure-marketplace.publicAzureSupportUrl': 'https://support.contoso.com',
    'microsoft-azure-marketplace.fairfaxSupportUrl': '',
  }
}
