import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const OPTIONS = {
  ...DATA_DIR_OPTION,
  step: { type: 'string' },
  message: { type: 'string' },
  blocked: { type: 'boolean' },
  clear: { type: 'boolean' },
  show: { type: 'boolean' },
  json: { type: 'boolean' },
} as const

export const operationsFailNextCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner operations fail-next <publisher-id> <offer-id> --step <step-id> [options]',
      '       cloudpartner operations fail-next <publisher-id> <offer-id> --show | --clear',
      '',
      'The next publish of the offer fails at the step with the message, so that a client can be tested',
      "against a failure; that publish uses it up. A go-live step (live) fails in that publish's go-live.",
      'Step ids: displaydummycertify, displaycertify, displayprovision, displaypackage, live (virtual',
      'machines); displayrevenuecertify and displayreview too for Azure applications.',
      '',
      'Options:',
      '  --step <step-id>                The step that fails.',
      '  --message <text>                Its error message. Default: "The step failed."',
      '  --blocked                       The step is blocked (cannot start) instead of failing after it ran.',
      '  --show                          Print the failure planned, if any.',
      '  --clear                         Forget the failure planned.',
      '  --json                          Print the planned failure as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('operations fail-next', args, OPTIONS, {
      min: 2,
      max: 2,
      names: 'the publisher id and the offer id',
    })
    const [publisherId = '', offerId = ''] = positionals
    const modes = [values.step !== undefined, values.show === true, values.clear === true].filter(Boolean)
    if (modes.length !== 1)
      throw new UsageError('operations fail-next: give exactly one of --step, --show, --clear')
    const config = loadStoreConfig(io, values)
    await withServices(config, io, async (services) => {
      const admin = services.operationAdmin
      if (values.clear) {
        await admin.clearNextPublishFault(publisherId, offerId, STORE_ADMINISTRATOR)
        io.out(`The next publish of ${publisherId}/${offerId} will not fail.\n`)
        return
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
    })
    return EXIT.ok
  },
}
