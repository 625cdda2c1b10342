import { Turns } from '../json-in-turns.ts'
import { serializeDefinition, serializedMembers } from './definition-json.ts'
import { formatEtag } from './etag.ts'
import type { OfferDefinition, OfferStatus } from './offer.ts'
import { withoutSecrets } from './offer-secrets.ts'

/** An offer as answered: the exact bytes of the JSON body, and the draft's ETag. */
export interface OfferView {
  readonly body: Buffer
  readonly etag: string
}

/** What GET and PUT answer about one version of an offer (reference E4, E6). */
export interface OfferSnapshot {
  readonly offerTypeId: string
  readonly publisherId: string
  readonly status: OfferStatus
  readonly id: string
  readonly version: number
  readonly extras: Readonly<Record<string, unknown>>
  readonly definition: OfferDefinition
  readonly changedTime: string
}

const ENVELOPE = new Set([
  'offerTypeId',
  'publisherId',
  'status',
  'id',
  'version',
  'definition',
  'changedTime',
])

/**
 * The offer in the service's field order: the envelope, the extras the service keeps verbatim where
 * it puts them (after `version`, as devigned/pub's captured answers have pcMigrationStatus), then the
 * definition, whose unknown keys come back as they were written, and never a secret.
 */
export function toOfferResponse(snapshot: OfferSnapshot): Record<string, unknown> {
  const { displayText, offer, plans, ...rest } = withoutSecrets(snapshot.definition)
  const extras = Object.entries(snapshot.extras).filter(([key]) => !ENVELOPE.has(key))
  return {
    offerTypeId: snapshot.offerTypeId,
    publisherId: snapshot.publisherId,
    status: snapshot.status,
    id: snapshot.id,
    version: snapshot.version,
    ...Object.fromEntries(extras),
    definition: { displayText, offer: offer ?? {}, plans: plans ?? [], ...rest },
    changedTime: snapshot.changedTime,
  }
}

/** The answer about a snapshot; every answer carries the draft's ETag, whichever version it shows. */
export function renderOffer(snapshot: OfferSnapshot, draftChangedTime: string): OfferView {
  const definition = withoutSecrets(snapshot.definition)
  const members = serializedMembers(definition)
  return {
    body:
      members === undefined
        ? jsonBody(toOfferResponse(snapshot))
        : bodyOfPieces(answerPieces(snapshot, definition, members)),
    etag: formatEtag(draftChangedTime),
  }
}

/**
 * The same answer, its definition serialized across turns of the event loop first: a large offer
 * does not keep every other request waiting while it is rendered.
 */
export async function renderOfferInTurns(
  snapshot: OfferSnapshot,
  draftChangedTime: string,
  turns: Turns = new Turns(),
): Promise<OfferView> {
  await turns.pause()
  await serializeDefinition(withoutSecrets(snapshot.definition), turns)
  await turns.pause()
  return renderOffer(snapshot, draftChangedTime)
}

/**
 * The pieces of exactly JSON.stringify(toOfferResponse(snapshot)), the definition's taken from its
 * serialized members in the answer's order (toOfferResponse: displayText, offer, plans, the rest).
 */
function answerPieces(
  snapshot: OfferSnapshot,
  definition: OfferDefinition,
  members: ReadonlyMap<string, readonly string[]>,
): string[] {
  const {
    definition: _definition,
    changedTime,
    ...envelope
  } = toOfferResponse({
    ...snapshot,
    definition: { displayText: '' },
  })
  // The envelope, extras included, in toOfferResponse's order; definition and changedTime are its
  // last keys (neither is an integer, which objects would order first).
  const head = JSON.stringify(envelope)
  const pieces = [`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"definition":{`]
  const { displayText, offer, plans, ...rest } = definition
  // The answer's definition object, with placeholders: what its keys are, and in which order.
  const shape: Record<string, unknown> = { displayText, offer: true, plans: true, ...rest }
  let first = true
  for (const key of Object.keys(shape)) {
    const value =
      key === 'offer' && offer == null ? ['{}'] : key === 'plans' && plans == null ? ['[]'] : members.get(key)
    if (value === undefined) continue
    pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`, ...value)
    first = false
  }
  pieces.push(`},"changedTime":${JSON.stringify(changedTime)}}`)
  return pieces
}

/** The pieces written one after the other into a buffer of their own (no flat copy of the whole). */
function bodyOfPieces(pieces: readonly string[]): Buffer {
  let length = 0
  for (const piece of pieces) length += Buffer.byteLength(piece)
  const body = Buffer.allocUnsafeSlow(length)
  let offset = 0
  for (const piece of pieces) offset += body.write(piece, offset)
  return body
}

/**
 * The body as the routes used to send it (JSON.stringify of the response object), in a buffer of
 * its own: a small Buffer.from would share, and keep alive, an 8 KB pool slab per cached answer.
 */
function jsonBody(value: unknown): Buffer {
  const json = JSON.stringify(value)
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(json))
  body.write(json)
  return body
}
