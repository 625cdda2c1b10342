import { type TSchema, Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { Settings } from 'typebox/system'
import type { OfferDefinition } from '../offers/offer.ts'
import { AppPlanSchema, AZURE_APPLICATIONS, appOfferKeys } from './azure-applications.schema.ts'
import { CORE_VM, CORE_VM_READ_ONLY_OFFER_KEYS, CoreVmPlanSchema, coreVmOfferKeys } from './core-vm.schema.ts'
import { marketplaceOfferDefaults } from './marketplace.schema.ts'
import type { OfferTypeId } from './offer-types.ts'
import { type Problem, problemsFromSchemaErrors, type SchemaError } from './problems.ts'
import { OpenObject, VERSION_KEY } from './schema-kit.ts'
import { findSecretValues, isPlainObject } from './secret-fields.ts'
import { MAX_VM_IMAGES, VIRTUAL_MACHINES, VmPlanSchema, vmOfferKeys } from './virtual-machines.schema.ts'

/** A map of a plan keyed by `major.minor.patch` versions (disk images, packages). */
interface VersionedMap {
  readonly key: string
  /** What one entry is, for messages: "disk version", "package version". */
  readonly noun: string
  readonly max?: number
}

/** What differs between offer types: their schema, and the rules a schema cannot say. */
interface OfferTypeRules {
  readonly definition: TSchema
  readonly readOnlyOfferKeys: readonly string[]
  readonly versionedMaps: readonly VersionedMap[]
  /** Plan-like objects nested in a plan, each with its own planId (core VM disk generations). */
  readonly nestedPlans?: string
  /** Offer keys the service fills in when a write lacks them (E6 create response). */
  readonly offerDefaults: () => Record<string, unknown>
  readonly planDefaults: () => Record<string, unknown>
}

function definitionSchema(offerType: string, offerKeys: Record<string, TSchema>, plan: TSchema): TSchema {
  return OpenObject(
    {
      displayText: Type.String({ minLength: 1, description: 'Name of the offer in the portal.' }),
      offer: Type.Optional(OpenObject(offerKeys, 'Offer keys, namespaced <namespace>.<field>.')),
      plans: Type.Optional(Type.Array(plan, { description: 'Plans (SKUs).' })),
    },
    `The definition of a ${offerType} offer.`,
  )
}

const RULES: Readonly<Record<OfferTypeId, OfferTypeRules>> = {
  [VIRTUAL_MACHINES]: {
    definition: definitionSchema(VIRTUAL_MACHINES, vmOfferKeys, VmPlanSchema),
    readOnlyOfferKeys: [],
    versionedMaps: [{ key: `${VIRTUAL_MACHINES}.vmImages`, noun: 'disk version', max: MAX_VM_IMAGES }],
    offerDefaults: marketplaceOfferDefaults,
    planDefaults: () => ({ [`${VIRTUAL_MACHINES}.certificationsFairfax`]: [] }),
  },
  [CORE_VM]: {
    definition: definitionSchema(CORE_VM, coreVmOfferKeys, CoreVmPlanSchema),
    readOnlyOfferKeys: CORE_VM_READ_ONLY_OFFER_KEYS,
    versionedMaps: [{ key: `${CORE_VM}.vmImagesPublicAzure`, noun: 'image version' }],
    nestedPlans: 'diskGenerations',
    offerDefaults: () => ({}),
    planDefaults: () => ({}),
  },
  [AZURE_APPLICATIONS]: {
    definition: definitionSchema(AZURE_APPLICATIONS, appOfferKeys, AppPlanSchema),
    readOnlyOfferKeys: [],
    versionedMaps: [{ key: `${AZURE_APPLICATIONS}.package`, noun: 'package version' }],
    offerDefaults: marketplaceOfferDefaults,
    planDefaults: () => ({}),
  },
}

/** The definition schemas, for the OpenAPI document. */
export const DEFINITION_SCHEMAS: Readonly<Record<OfferTypeId, TSchema>> = {
  [VIRTUAL_MACHINES]: RULES[VIRTUAL_MACHINES].definition,
  [CORE_VM]: RULES[CORE_VM].definition,
  [AZURE_APPLICATIONS]: RULES[AZURE_APPLICATIONS].definition,
}

/**
 * Far more than any real document has, bounded so that a hostile one cannot make us build and sort
 * through millions (beyond it, the count a 400 gives is a lower bound).
 */
const MAX_SCHEMA_ERRORS = 1000

/**
 * Each type's validator, compiled when a definition of that type is first checked: a process that
 * checks none (most CLI commands, a client of the SDK that never validates) never pays for it.
 */
const CHECKS = new Map<string, ReturnType<typeof Compile>>()

function checkOf(offerTypeId: OfferTypeId): ReturnType<typeof Compile> {
  let check = CHECKS.get(offerTypeId)
  if (!check) {
    const rules = RULES[offerTypeId]
    if (!rules) throw new Error(`No rules for offer type ${offerTypeId}`)
    check = Compile(rules.definition)
    CHECKS.set(offerTypeId, check)
  }
  return check
}

/**
 * Who is writing: a PUT may not set read-only keys and may carry secrets (they are sealed); an
 * import restores server state, read-only keys included, but never secrets (nothing would seal them,
 * and a GET answer, which is what imports read, never has them).
 */
export type WriteMode = 'put' | 'import'

/**
 * Everything that makes a definition malformed for its offer type, each problem with its path from
 * the document's root (`definition…`). A well-formed definition may still be unpublishable: that is
 * publishability.ts's business, at publish time.
 */
export function validateDefinition(
  offerTypeId: OfferTypeId,
  definition: unknown,
  mode: WriteMode,
): Problem[] {
  const rules = RULES[offerTypeId]
  const check = checkOf(offerTypeId)
  const problems = check.Check(definition)
    ? []
    : problemsFromSchemaErrors(allErrors(check, definition), rules.definition, definition, ['definition'])
  if (!isPlainObject(definition)) return problems
  const offer = definition.offer
  if (isPlainObject(offer)) {
    if (mode === 'put') {
      for (const key of rules.readOnlyOfferKeys) {
        if (Object.hasOwn(offer, key)) {
          problems.push({
            path: ['definition', 'offer', key],
            message: 'is read-only and cannot be written: remove it from the document',
          })
        }
      }
    }
    for (const secret of findSecretValues(offer)) {
      const path = ['definition', 'offer', ...secret.path]
      if (mode === 'import') {
        problems.push({ path, message: 'is a secret and cannot be imported: set it with a PUT' })
      } else if (secret.value !== null && typeof secret.value !== 'string') {
        problems.push({ path, message: 'is a secret and must be a string (empty or null clears it)' })
      }
    }
  }
  // Not push(...spread): a spread of 100,000 problems overflows the call stack.
  if (Array.isArray(definition.plans))
    for (const found of planProblems(rules, definition.plans)) problems.push(found)
  return problems
}

/**
 * Every schema error, not TypeBox's default first eight: a 400 names every offending field. The
 * limit is a process-wide setting, so it is raised only for this synchronous call.
 */
function allErrors(check: ReturnType<typeof Compile>, value: unknown): SchemaError[] {
  const limit = Settings.Get().maxErrors
  Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS })
  try {
    return check.Errors(value) as SchemaError[]
  } finally {
    Settings.Set({ maxErrors: limit })
  }
}

function planProblems(rules: OfferTypeRules, plans: readonly unknown[]): Problem[] {
  const problems: Problem[] = []
  const planIds = new Set<string>()
  const visit = (plan: unknown, path: (string | number)[]) => {
    if (!isPlainObject(plan)) return
    if (typeof plan.planId === 'string') {
      if (planIds.has(plan.planId)) {
        problems.push({ path: [...path, 'planId'], message: `repeats the plan id '${plan.planId}'` })
      }
      planIds.add(plan.planId)
    }
    for (const map of rules.versionedMaps) {
      const versions = plan[map.key]
      if (!isPlainObject(versions)) continue
      for (const version of Object.keys(versions)) {
        if (!VERSION_KEY.test(version)) {
          problems.push({
            path: [...path, map.key, version],
            message: `is not a ${map.noun}: use major.minor.patch, e.g. 1.0.1`,
          })
        }
      }
      const count = Object.keys(versions).length
      if (map.max !== undefined && count > map.max) {
        problems.push({
          path: [...path, map.key],
          message: `holds ${count} ${map.noun}s; a plan holds at most ${map.max}`,
        })
      }
    }
  }
  plans.forEach((plan, index) => {
    visit(plan, ['definition', 'plans', index])
    const nested = rules.nestedPlans && isPlainObject(plan) ? plan[rules.nestedPlans] : undefined
    if (rules.nestedPlans && Array.isArray(nested)) {
      nested.forEach((twin, twinIndex) => {
        visit(twin, ['definition', 'plans', index, rules.nestedPlans as string, twinIndex])
      })
    }
  })
  return problems
}

/**
 * The definition as the service stores it: `offer` and `plans` present, and the keys the service
 * fills in (E6's create response) added where missing, after the client's own keys. The offer bag
 * and the plans are completed in place: they are the request's own, just parsed, and copying a plan
 * of thousands of keys (a dictionary-mode object) cost more than the rest of its write.
 */
export function withServerDefaults(offerTypeId: OfferTypeId, definition: OfferDefinition): OfferDefinition {
  const rules = RULES[offerTypeId]
  const offer: Record<string, unknown> = definition.offer ?? {}
  for (const [key, value] of Object.entries(rules.offerDefaults()))
    if (!Object.hasOwn(offer, key)) offer[key] = value
  const plans = definition.plans ?? []
  for (const plan of plans) {
    for (const [key, value] of Object.entries(rules.planDefaults()))
      if (!Object.hasOwn(plan, key)) plan[key] = value
  }
  return { ...definition, offer, plans }
}
