import type { Offer } from '../offers/offer.ts'

/**
 * Whether a well-formed draft can be published. Two kinds of problems, as the real service had them:
 * `rejections` refuse the publish outright (422 Un-processable entity, reference E7), and `blockers`
 * let the publish start but stop its certification step, `blocked`, with an error message (the
 * reference's E11 example: "No virtual machine image was found for the plan contoso.").
 */
export interface Publishability {
  readonly rejections: readonly string[]
  readonly blockers: readonly string[]
}

const MARKETPLACE = 'microsoft-azure-marketplace'

/** Marketing keys the portal marked required, for the offer types that use the marketplace block. */
const REQUIRED_MARKETPLACE_KEYS = [
  'title',
  'summary',
  'longSummary',
  'description',
  'smallLogo',
  'mediumLogo',
  'largeLogo',
  'wideLogo',
  'privacyURL',
  'termsOfUse',
  'engineeringContactName',
  'engineeringContactEmail',
  'engineeringContactPhone',
  'supportContactName',
  'supportContactEmail',
  'supportContactPhone',
] as const

export function checkPublishable(offer: Offer): Publishability {
  const rejections: string[] = []
  const blockers: string[] = []
  const keys = offer.definition.offer ?? {}
  const plans = offer.definition.plans ?? []
  if (
    offer.offerTypeId === 'microsoft-azure-virtualmachines' ||
    offer.offerTypeId === 'microsoft-azure-applications'
  ) {
    for (const key of REQUIRED_MARKETPLACE_KEYS) {
      if (isBlank(keys[`${MARKETPLACE}.${key}`])) {
        rejections.push(`The offer key '${MARKETPLACE}.${key}' is required to publish.`)
      }
    }
  }
  if (plans.length === 0) rejections.push('The offer has no plan; add at least one to definition.plans.')
  for (const plan of plans) {
    const planId = String(plan.planId)
    if (
      offer.offerTypeId === 'microsoft-azure-virtualmachines' &&
      isEmptyMap(plan['microsoft-azure-virtualmachines.vmImages'])
    ) {
      blockers.push(`No virtual machine image was found for the plan ${planId}.`)
    }
    if (
      offer.offerTypeId === 'microsoft-azure-corevm' &&
      isEmptyMap(plan['microsoft-azure-corevm.vmImagesPublicAzure'])
    ) {
      blockers.push(`No virtual machine image was found for the plan ${planId}.`)
    }
    if (
      offer.offerTypeId === 'microsoft-azure-applications' &&
      isEmptyMap(plan['microsoft-azure-applications.package'])
    ) {
      blockers.push(`No package was found for the plan ${planId}.`)
    }
  }
  return { rejections, blockers }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

function isEmptyMap(value: unknown): boolean {
  return typeof value !== 'object' || value === null || Object.keys(value).length === 0
}
