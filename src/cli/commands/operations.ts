import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import type { Config } from '../../config.ts'
import type { Operation } from '../../operations/operation.ts'
import { operationLocation } from '../../operations/operation-location.ts'
import { operationDetail } from '../../operations/operation-view.ts'
import type { StepAction } from '../../operations/operations-admin.service.ts'
import { pipelineStep } from '../../operations/pipelines.ts'
import { EXIT } from '../cli-errors.ts'
import { type CliIo, printJson, printTable } from '../cli-io.ts'
import { DATA_DIR_OPTION, loadStoreConfig, withServices } from '../cli-store.ts'
import type { Command } from '../command.ts'
import { parseCommandLine } from '../parse-command-line.ts'
import { settingsHelp } from '../settings-flags.ts'

const SHOW_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const operationsShowCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner operations show <operation-id> [options]',
      '',
      'Options:',
      '  --json                          Print it as GET …/operations/{operationId} answers.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('operations show', args, SHOW_OPTIONS, {
      min: 1,
      max: 1,
      names: 'the operation id',
    })
    const config = loadStoreConfig(io, values)
    const operation = await withServices(config, io, (services) =>
      services.operationAdmin.operation(positionals[0] as string, STORE_ADMINISTRATOR),
    )
    printOperation(io, config, operation, values.json === true)
    return EXIT.ok
  },
}

const STEP_OPTIONS = { ...DATA_DIR_OPTION, message: { type: 'string' }, json: { type: 'boolean' } } as const

const STEP_HELP: Record<StepAction, string[]> = {
  advance: [
    'Completes the step in progress, as if its time had come (a failure planned for it happens), and',
    'starts the next one. This is how operations move in the manual profile (--publish-profile manual);',
    'it works in every profile. Publisher sign-off is not a step to advance: go live, or cancel.',
  ],
  fail: ['Makes the step in progress fail with the message: the operation and the offer become failed.'],
  block: [
    'Blocks the step in progress with the message, as certification blocks an offer that lacks an image:',
    'the operation and the offer become failed.',
  ],
}

function stepCommand(action: StepAction): Command {
  return {
    help: () =>
      [
        `Usage: cloudpartner operations ${action} <operation-id> [options]`,
        '',
        ...STEP_HELP[action],
        'A running server picks the change up within a second.',
        '',
        'Options:',
        ...(action === 'advance'
          ? []
          : ['  --message <text>                The error message the step shows.']),
        '  --json                          Print the operation as GET …/operations/{operationId} answers.',
        ...settingsHelp(['dataDir', 'databaseUrl']),
      ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseCommandLine(`operations ${action}`, args, STEP_OPTIONS, {
        min: 1,
        max: 1,
        names: 'the operation id',
      })
      const config = loadStoreConfig(io, values)
      const operation = await withServices(config, io, (services) =>
        services.operationAdmin.step(positionals[0] as string, action, values.message, STORE_ADMINISTRATOR),
      )
      printOperation(io, config, operation, values.json === true)
      return EXIT.ok
    },
  }
}

export const operationsAdvanceCommand = stepCommand('advance')
export const operationsFailCommand = stepCommand('fail')
export const operationsBlockCommand = stepCommand('block')

const LIST_OPTIONS = { ...DATA_DIR_OPTION, json: { type: 'boolean' } } as const

export const operationsListCommand: Command = {
  help: () =>
    [
      'Usage: cloudpartner operations list <publisher-id> <offer-id> [options]',
      '',
      'Options:',
      '  --json                          Print ids, kinds, states and operation URLs as JSON.',
      ...settingsHelp(['dataDir', 'databaseUrl']),
    ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandLine('operations list', args, LIST_OPTIONS, {
      min: 2,
      max: 2,
      names: 'the publisher id and the offer id',
    })
    const [publisherId = '', offerId = ''] = positionals
    const config = loadStoreConfig(io, values)
    const operations = await withServices(config, io, (services) =>
      services.operationAdmin.list(publisherId, offerId, STORE_ADMINISTRATOR),
    )
    const rows = operations.map((operation) => ({
      id: operation.id,
      kind: operation.kind,
      state: operation.state,
      publishingVersion: operation.publishingVersion,
      offerVersion: operation.offerVersion,
      location: operationLocation(operation),
      createdTime: operation.createdTime,
    }))
    if (values.json) printJson(io, rows)
    else if (rows.length === 0) io.out(`No operations for ${publisherId}/${offerId}.\n`)
    else
      printTable(
        io,
        ['ID', 'KIND', 'STATE', 'PUBLISHING VERSION', 'OFFER VERSION', 'CREATED'],
        rows.map((row) => [
          row.id,
          row.kind,
          row.state,
          String(row.publishingVersion),
          String(row.offerVersion),
          row.createdTime,
        ]),
      )
    return EXIT.ok
  },
}

function printOperation(io: CliIo, config: Config, operation: Operation, json: boolean): void {
  if (json) {
    printJson(io, operationDetail(operation, new Date(), config))
    return
  }
  io.out(
    `Operation ${operation.id}: ${operation.kind} of ${operation.publisherId}/${operation.offerId}, version ${operation.offerVersion}, ${operation.state}\n`,
  )
  printTable(
    io,
    ['STEP', 'NAME', 'STATUS', 'MESSAGES'],
    operation.steps.map((step) => [
      step.id,
      pipelineStep(operation.offerTypeId, step.id)?.stepName ?? step.id,
      step.status,
      step.messages.map((message) => message.messageHtml).join(' '),
    ]),
  )
}
