import { STORE_ADMINISTRATOR } from '../../auth/caller.ts'
import type { Config } from '../../config.ts'
import type { Operation } from '../../operations/operation.ts'
import { operationLocation } from '../../operations/operation-location.ts'
import { operationDetail } from '../../operations/operation-view.ts'
import type { StepAction } from '../../operations/operations-admin.service.ts'
import { pipelineStep } from '../../operations/pipelines.ts'
import { EXIT } from '../cli-errors.ts'
import { type CliIo, printJson, printTable } from '../cli-io.ts'
import type { Command } from '../command.ts'
import { storeCommand } from '../store-command.ts'

export const operationsShowCommand = storeCommand({
  name: 'operations show',
  usage: '<operation-id> [options]',
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print it as GET …/operations/{operationId} answers.'],
  positionals: { min: 1, max: 1, names: 'the operation id' },
  async run({ io, values, positionals, config, services }) {
    const admin = (await services()).operationAdmin
    const operation = await admin.operation(positionals[0] as string, STORE_ADMINISTRATOR)
    printOperation(io, config, operation, values.json === true)
    return EXIT.ok
  },
})

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
  return storeCommand({
    name: `operations ${action}`,
    usage: '<operation-id> [options]',
    description: [...STEP_HELP[action], 'A running server picks the change up within a second.'],
    options: { message: { type: 'string' }, json: { type: 'boolean' } },
    optionsHelp: [
      ...(action === 'advance'
        ? []
        : ['  --message <text>                The error message the step shows.']),
      '  --json                          Print the operation as GET …/operations/{operationId} answers.',
    ],
    positionals: { min: 1, max: 1, names: 'the operation id' },
    async run({ io, values, positionals, config, services }) {
      const admin = (await services()).operationAdmin
      const operationId = positionals[0] as string
      const operation = await admin.step(operationId, action, values.message, STORE_ADMINISTRATOR)
      printOperation(io, config, operation, values.json === true)
      return EXIT.ok
    },
  })
}

export const operationsAdvanceCommand = stepCommand('advance')
export const operationsFailCommand = stepCommand('fail')
export const operationsBlockCommand = stepCommand('block')

export const operationsListCommand = storeCommand({
  name: 'operations list',
  usage: '<publisher-id> <offer-id> [options]',
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print ids, kinds, states and operation URLs as JSON.'],
  positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
  async run({ io, values, positionals, services }) {
    const [publisherId = '', offerId = ''] = positionals
    const admin = (await services()).operationAdmin
    const operations = await admin.list(publisherId, offerId, STORE_ADMINISTRATOR)
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
})

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
