import { stringifyInTurns, type Turns } from '../json-in-turns.ts'
import type { OfferDefinition } from './offer.ts'

/**
 * A definition's JSON, serialized once per request and across turns of the event loop: a write
 * stores it (`definitionText`) and answers it (offer-response.ts) from the same pieces, where it
 * used to serialize the whole definition twice, each time in one block (a 4 MB offer kept every
 * other request waiting for both). Kept beside the definition object, for as long as it lives.
 */
const serialized = new WeakMap<OfferDefinition, ReadonlyMap<string, readonly string[]>>()

/**
 * Serializes each member of the definition (`plans`, `offer`, …) into pieces whose concatenation is
 * its JSON.stringify text, yielding to other requests as `turns` says.
 */
export async function serializeDefinition(definition: OfferDefinition, turns: Turns): Promise<void> {
  if (serialized.has(definition)) return
  const members = new Map<string, readonly string[]>()
  for (const [key, value] of Object.entries(definition)) {
    const pieces = await stringifyInTurns(value, turns)
    // No pieces: a member JSON has no text for (undefined), which JSON.stringify leaves out too.
    if (pieces.length > 0) members.set(key, pieces)
  }
  serialized.set(definition, members)
}

/** Each member's pieces, in the definition's order, once `serializeDefinition` has run on it. */
export function serializedMembers(
  definition: OfferDefinition,
): ReadonlyMap<string, readonly string[]> | undefined {
  return serialized.get(definition)
}

/**
 * The definition as the store keeps it: exactly JSON.stringify(definition), put together from its
 * serialized members when there are any (one flat copy, made by the database driver).
 */
export function definitionText(definition: OfferDefinition): string {
  const members = serialized.get(definition)
  if (members === undefined) return JSON.stringify(definition)
  let text = '{'
  let first = true
  for (const [key, pieces] of members) {
    text += `${first ? '' : ','}${JSON.stringify(key)}:`
    for (const piece of pieces) text += piece
    first = false
  }
  return `${text}}`
}
