import type { OfferDocument } from '../../sdk/index.ts'
import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue } from '../api/output.ts'
import { readDocument } from '../api/read-document.ts'
import { UsageError } from '../cli-errors.ts'

export const offersPutCommand = apiCommand({
  name: 'put',
  usage: '<publisher-id> <offer-id> <file|-> [options]',
  description: [
    'Sends the offer document in <file> (- for stdin) with PUT …/offers/{offerId}: it creates the',
    'offer, or replaces its draft. Without --if-match or --force it only creates: an existing offer is',
    'refused (InvalidResourceId). A document from `offers show --json` can be edited and put back.',
    'Check a document first, without a server: `cloudpartner offers validate <file>`.',
  ],
  options: { 'if-match': { type: 'string' }, force: { type: 'boolean' } },
  optionsHelp: [
    '  --if-match <etag>               Replace only the version with this ETag (`offers show --etag`);',
    '                                  refused (PreconditionFailed) if the offer changed since.',
    '  --force                         Replace whatever is stored (If-Match: *, last one wins).',
  ],
  jsonHelp: 'Print the stored offer as the API answers it.',
  positionals: {
    min: 3,
    max: 3,
    names: 'the publisher id, the offer id and the file',
    complete: ['text', 'text', 'file'],
  },
  async run({ io, values, positionals, client, json }) {
    const [publisherId = '', offerId = '', file = ''] = positionals
    const ifMatch = values['if-match']
    if (typeof ifMatch === 'string' && values.force === true) {
      throw new UsageError('offers put: give --if-match or --force, not both')
    }
    const document = (await readDocument(file)) as OfferDocument
    const { offer, etag } = await client.offers.put(publisherId, offerId, document, {
      ...(typeof ifMatch === 'string' ? { ifMatch } : values.force === true ? { ifMatch: '*' } : {}),
    })
    if (json) printJsonValue(io, offer)
    else {
      io.out(`Saved ${offer.publisherId}/${offer.id}: draft version ${offer.version}, ${offer.status}.\n`)
      if (etag !== undefined) io.out(`ETag: ${etag}\n`)
    }
    return API_EXIT.ok
  },
})
