import type { Offer } from '../offers/offer.ts'
import type { Problem } from './problems.ts'

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
  const { rejections, blockers } = findPublishabilityProblems(offer)
  return {
    rejections: rejections.map((problem) => problem.sentence),
    blockers: blockers.map((problem) => problem.sentence),
  }
}

/** A problem with its path; `sentence` is how the service words it on its own (422, step messages). */
export interface PublishabilityProblem extends Problem {
  readonly sentence: string
}

/** The same problems, each with the path of what it is about (for the SDK's `validateOffer`). */
export function findPublishabilityProblems(offer: Offer): {
  readonly rejections: readonly PublishabilityProblem[]
  readonly blockers: readonly PublishabilityProblem[]
} {
  const rejections: PublishabilityProblem[] = []
  const blockers: PublishabilityProblem[] = []
  const keys = offer.definition.offer ?? {}
  const plans = offer.definition.plans ?? []
  if (
    offer.offerTypeId === 'microsoft-azure-virtualmachines' ||
    offer.offerTypeId === 'microsoft-azure-applications'
  ) {
    for (const key of REQUIRED_MARKETPLACE_KEYS) {
      if (isBlank(keys[`${MARKETPLACE}.${key}`])) {
        rejections.push({
          path: ['definition', 'offer', `${MARKETPLACE}.${key}`],
          message: 'is required to publish',
          sentence: `The offer key '${MARKETPLACE}.${key}' is required to publish.`,
        })
      }
    }
  }
  if (plans.length === 0) {
    rejections.push({
      path: ['definition', 'plans'],
      message: 'holds no plan; publishing needs at least one',
      sentence: 'The offer has no plan; add at least one to definition.plans.',
    })
  }
  plans.forEach((plan, index) => {
    const planId = String(plan.planId)
    const blocker = (key: string, what: string, sentence: string) => {
      if (isEmptyMap(plan[key])) {
        blockers.push({ path: ['definition', 'plans', index, key], message: `holds no ${what}`, sentence })
      }
    }
    if (offer.offerTypeId === 'microsoft-azure-virtualmachines') {
      blocker(
        'microsoft-azure-virtualmachines.vmImages',
        'virtual machine image',
        `No virtual machine image was found for the plan ${planId}.`,
      )
    }
    if (offer.offerTypeId === 'microsoft-azure-corevm') {
      blocker(
        'microsoft-azure-corevm.vmImagesPublicAzure',
        'virtual machine image',
        `No virtual machine image was found for the plan ${planId}.`,
      )
    }
    if (offer.offerTypeId === 'microsoft-azure-applications') {
      blocker(
        'microsoft-azure-applications.package',
        'package',
        `No package was found for the plan ${planId}.`,
      )
    }
  })
  return { rejections, blockers }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

function isEmptyMap(value: unknown): boolean {
  return typeof value !== 'object' || value === null || Object.keys(value).length === 0
}
