import { type CloudPartnerClient, diffOffers, type OfferChange, type OfferWithETag } from '../../sdk/index.ts'
import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue } from '../api/output.ts'
import type { Style } from '../api/style.ts'
import { UsageError } from '../cli-errors.ts'
import type { CliIo } from '../cli-io.ts'

/** A version number, or a slot: what `diff` compares. */
type Ref = { readonly slot: 'draft' | 'preview' | 'production' } | { readonly version: number }

const VALUE_WIDTH = 100

export const offersDiffCommand = apiCommand({
  name: 'diff',
  usage: '<publisher-id> <offer-id> <from> <to> [options]',
  description: [
    'Compares two states of an offer and prints every key added, removed or changed, with its JSON',
    'path. <from> and <to> are draft, preview, production or a version number, e.g.',
    '  cloudpartner offers diff contoso my-offer production draft   # what publishing would change',
    'Plans are matched by planId. status, version and changedTime are not compared.',
  ],
  options: {},
  optionsHelp: [],
  jsonHelp: 'Print {from, to, changes: [{kind, path, before, after}]}.',
  positionals: { min: 4, max: 4, names: 'the publisher id, the offer id and the two versions or slots' },
  async run({ io, positionals, client, json, style }) {
    const [publisherId = '', offerId = '', fromText = '', toText = ''] = positionals
    const [fromRef, toRef] = [parseRef(fromText), parseRef(toText)]
    const [from, to] = await Promise.all([
      fetchRef(client, publisherId, offerId, fromRef),
      fetchRef(client, publisherId, offerId, toRef),
    ])
    const changes = diffOffers(from.offer, to.offer)
    const side = (ref: string, answer: OfferWithETag) => ({ ref, version: answer.offer.version })
    if (json) {
      printJsonValue(io, {
        from: side(fromText, from),
        to: side(toText, to),
        changes: changes.map(({ kind, jsonPath, before, after }) => ({
          kind,
          path: jsonPath,
          before,
          after,
        })),
      })
      return API_EXIT.ok
    }
    io.out(
      `${style.bold(`${publisherId}/${offerId}`)}: ${fromText} (version ${from.offer.version}) → ${toText} (version ${to.offer.version})\n`,
    )
    if (changes.length === 0) {
      io.out('No differences.\n')
      return API_EXIT.ok
    }
    for (const change of changes) printChange(io, style, change)
    const count = (kind: OfferChange['kind']) => changes.filter((change) => change.kind === kind).length
    io.out(
      `${changes.length} change(s): ${count('added')} added, ${count('removed')} removed, ${count('changed')} changed.\n`,
    )
    return API_EXIT.ok
  },
})

function parseRef(text: string): Ref {
  const lower = text.toLowerCase()
  if (lower === 'draft' || lower === 'preview' || lower === 'production') return { slot: lower }
  if (/^\d+$/.test(text)) return { version: Number(text) }
  throw new UsageError(`offers diff: '${text}' is not draft, preview, production or a version number`)
}

function fetchRef(
  client: CloudPartnerClient,
  publisherId: string,
  offerId: string,
  ref: Ref,
): Promise<OfferWithETag> {
  if ('version' in ref) return client.offers.getVersion(publisherId, offerId, ref.version)
  if (ref.slot === 'draft') return client.offers.get(publisherId, offerId)
  return client.offers.getSlot(publisherId, offerId, ref.slot)
}

function printChange(io: CliIo, style: Style, change: OfferChange): void {
  const mark = { added: style.green('+'), removed: style.red('-'), changed: style.yellow('~') }[change.kind]
  io.out(`${mark} ${change.jsonPath}\n`)
  if (change.kind !== 'added') io.out(`    ${style.red(`- ${brief(change.before)}`)}\n`)
  if (change.kind !== 'removed') io.out(`    ${style.green(`+ ${brief(change.after)}`)}\n`)
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length <= VALUE_WIDTH ? text : `${text.slice(0, VALUE_WIDTH - 1)}…`
}
