import { seal, unseal } from '../auth/sealed-box.ts'
import { findSecretValues } from '../offer-types/secret-fields.ts'
import type { OfferDefinition } from './offer.ts'

/**
 * Secret-typed values (offer-types/secret-fields.ts) never stay in a definition: a PUT takes them
 * out, and they are kept apart, all of an offer's in one value sealed with the master key. GET never
 * returns them (reference §3.8), so clients that GET, edit and PUT back send them no more: a secret
 * the PUT does not mention keeps its stored value; `""` or null clears it.
 */
export interface OfferSecrets {
  /**
   * The definition without its secrets, and the offer's sealed secrets after this write: the stored
   * ones (`sealed`) updated with what the definition carried. Undefined when none are left.
   */
  takeSecrets(
    definition: OfferDefinition,
    sealed: string | undefined,
  ): { definition: OfferDefinition; sealedSecrets: string | undefined }
  /** The stored secrets by path (`/<offer key>/<member>…`), for tests and future lead delivery. */
  open(sealed: string | undefined): Record<string, string>
}

export function createOfferSecrets(masterKey: Buffer): OfferSecrets {
  const open = (sealed: string | undefined): Record<string, string> => {
    if (sealed === undefined) return {}
    try {
      return JSON.parse(unseal(masterKey, sealed)) as Record<string, string>
    } catch {
      throw new Error(
        'Cannot open the secrets of an offer: the master key is not the one they were sealed with.',
      )
    }
  }
  return {
    open,
    takeSecrets(definition, sealed) {
      const found = findSecretValues(definition.offer)
      if (found.length === 0) return { definition, sealedSecrets: sealed }
      const secrets = open(sealed)
      for (const { path, value } of found) {
        const key = secretKey(path)
        if (typeof value === 'string' && value !== '') secrets[key] = value
        else delete secrets[key]
      }
      return {
        definition: withoutSecrets(definition),
        sealedSecrets:
          Object.keys(secrets).length === 0 ? undefined : seal(masterKey, JSON.stringify(secrets)),
      }
    },
  }
}

/** The definition with every secret-typed member removed (belt and braces on the way out, too). */
export function withoutSecrets(definition: OfferDefinition): OfferDefinition {
  const found = findSecretValues(definition.offer)
  if (found.length === 0) return definition
  const copy = structuredClone(definition) as OfferDefinition & { offer: Record<string, unknown> }
  for (const { path } of found) {
    let parent: Record<string, unknown> = copy.offer
    for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string, unknown>
    delete parent[path[path.length - 1] as string]
  }
  return copy
}

function secretKey(path: readonly string[]): string {
  return path.map((segment) => `/${segment.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}
