import { apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue, printOperationDetail, printSubmissions } from '../api/output.ts'

export const offersOperationsCommand = apiCommand({
  name: 'operations',
  usage: '<publisher-id> <offer-id> [<operation-id>] [options]',
  description: [
    'Lists the publishing operations of an offer, newest first (GET …/submissions); with an',
    'operation id, shows that operation and its steps (GET …/operations/{operationId}).',
  ],
  options: { state: { type: 'string' } },
  optionsHelp: ['  --state <state>                 Only operations in this state, e.g. running, failed.'],
  jsonHelp: 'Print the list (or the operation) as the API answers it.',
  positionals: { min: 2, max: 3, names: 'the publisher id and the offer id' },
  async run({ io, values, positionals, client, json, style }) {
    const [publisherId = '', offerId = '', operationId] = positionals
    if (operationId !== undefined) {
      const detail = await client.offers.getOperation(publisherId, offerId, operationId)
      if (json) printJsonValue(io, detail)
      else printOperationDetail(io, style, `Operation ${operationId}`, detail)
      return API_EXIT.ok
    }
    const submissions = await client.offers.listOperations(
      publisherId,
      offerId,
      typeof values.state === 'string' ? { status: values.state } : {},
    )
    if (json) printJsonValue(io, submissions)
    else if (submissions.length === 0) io.out(`No operations for ${publisherId}/${offerId}.\n`)
    else printSubmissions(io, style, submissions)
    return API_EXIT.ok
  },
})
