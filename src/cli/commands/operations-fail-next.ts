import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { storeCommand } from '../store-command.ts'

export const operationsFailNextCommand = storeCommand({
  name: 'operations fail-next',
  usage: [
    '<publisher-id> <offer-id> --step <step-id> [options]',
    '       cloudpartner operations fail-next <publisher-id> <offer-id> --show | --clear',
  ].join('\n'),
  description: [
    'The next publish of the offer fails at the step with the message, so that a client can be tested',
    "against a failure; that publish uses it up. A go-live step (live) fails in that publish's go-live.",
    'Step ids: displaydummycertify, displaycertify, displayprovision, displaypackage, live (virtual',
    'machines); displayrevenuecertify and displayreview too for Azure applications.',
  ],
  options: {
    step: { type: 'string' },
    message: { type: 'string' },
    blocked: { type: 'boolean' },
    clear: { type: 'boolean' },
    show: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  optionsHelp: [
    '  --step <step-id>                The step that fails.',
    '  --message <text>                Its error message. Default: "The step failed."',
    '  --blocked                       The step is blocked (cannot start) instead of failing after it ran.',
    '  --show                          Print the failure planned, if any.',
    '  --clear                         Forget the failure planned.',
    '  --json                          Print the planned failure as JSON.',
  ],
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run({ io, values, positionals, services }) {
    const [publisherId = '', offerId = ''] = positionals
    const modes = [values.step !== undefined, values.show === true, values.clear === true].filter(Boolean)
    if (modes.length !== 1)
      throw new UsageError('operations fail-next: give exactly one of --step, --show, --clear')
    const admin = (await services()).operationAdmin
    if (values.clear) {
      await admin.clearNextPublishFault(publisherId, offerId, STORE_ADMINISTRATOR)
      io.out(`The next publish of ${publisherId}/${offerId} will not fail.\n`)
      return EXIT.ok
    }
    const fault = values.show
      ? await admin.findNextPublishFault(publisherId, offerId, STORE_ADMINISTRATOR)
      : await admin.setNextPublishFault(
          publisherId,
          offerId,
          {
            stepId: values.step as string,
            outcome: values.blocked ? 'blocked' : 'failed',
            message: values.message ?? 'The step failed.',
          },
          STORE_ADMINISTRATOR,
        )
    if (values.json) printJson(io, fault)
    else
      io.out(
        `The next publish of ${publisherId}/${offerId}: step ${fault.stepId} ${fault.outcome === 'blocked' ? 'is blocked' : 'fails'} with "${fault.messages.join(' ')}".\n`,
      )
    return EXIT.ok
  },
})
