import { errorMessagesOf, type Operation, type OperationDetail, outcomeOf } from '../../sdk/index.ts'
import { type ApiContext, apiCommand } from '../api/api-command.ts'
import { API_EXIT } from '../api/exit-codes.ts'
import { printJsonValue } from '../api/output.ts'
import {
  exitCodeOf,
  readWaitSettings,
  WAIT_HELP,
  WAIT_OPTIONS,
  waitForOperation,
} from '../api/wait-for-operation.ts'
import type { Command } from '../command.ts'

type Kind = 'publish' | 'golive'

const TEXT: Record<Kind, { description: string[]; started: string; done: string }> = {
  publish: {
    description: [
      'Starts publishing the draft (POST …/publish): it becomes a new version, which the operation',
      'takes through validation, certification and packaging to the Preview slot, where it waits for',
      'go-live. Publishing the draft already in flight answers the same operation.',
    ],
    started: 'Publishing',
    done: 'is in Preview, waiting for go-live',
  },
  golive: {
    description: [
      'Signs off the version waiting in Preview and pushes it to Production (POST …/golive).',
      'A go-live cannot be canceled.',
    ],
    started: 'Going live with',
    done: 'is live',
  },
}

function publishCommand(kind: Kind): Command {
  const text = TEXT[kind]
  return apiCommand({
    name: kind,
    usage: '<publisher-id> <offer-id> [options]',
    description: text.description,
    options: { ...WAIT_OPTIONS, 'notification-emails': { type: 'string' } },
    optionsHelp: [
      ...WAIT_HELP,
      '  --notification-emails <list>    Comma-separated addresses to notify (ignored for migrated offers).',
    ],
    jsonHelp: 'Print {location, url}; with --wait, the operation as it ended.',
    positionals: { min: 2, max: 2, names: 'the publisher id and the offer id' },
    async run(context) {
      const [publisherId = '', offerId = ''] = context.positionals
      const wait = context.values.wait === true ? readWaitSettings(context) : undefined
      const emails = context.values['notification-emails']
      const options = typeof emails === 'string' ? { notificationEmails: emails } : {}
      const operation =
        kind === 'publish'
          ? await context.client.offers.publish(publisherId, offerId, options)
          : await context.client.offers.goLive(publisherId, offerId, options)
      if (wait === undefined) return started(context, operation, text.started)
      if (!context.json) context.io.err(`${text.started} ${publisherId}/${offerId}: ${operation.location}\n`)
      const result = await waitForOperation(context, operation, wait)
      if (result.kind === 'stopped') return result.code
      return ended(context, kind, operation, result.detail)
    },
  })
}

function started(context: ApiContext, operation: Operation, verb: string): number {
  if (context.json) {
    printJsonValue(context.io, { location: operation.location, url: operation.url })
    return API_EXIT.ok
  }
  const { publisherId, offerId } = operation
  context.io.out(`${verb} ${publisherId}/${offerId}: operation ${operation.location}\n`)
  context.io.out(`Follow it with: cloudpartner offers status ${publisherId} ${offerId}\n`)
  return API_EXIT.ok
}

function ended(context: ApiContext, kind: Kind, operation: Operation, detail: OperationDetail): number {
  const { io, style, errStyle } = context
  const { publisherId, offerId } = operation
  if (context.json) printJsonValue(io, detail)
  const outcome = outcomeOf(detail.status)
  if (outcome === 'succeeded') {
    if (!context.json) {
      io.out(
        `${style.green('✔')} ${publisherId}/${offerId} version ${detail.offerVersion} ${TEXT[kind].done}.\n`,
      )
      if (kind === 'publish')
        io.out(`Go live with: cloudpartner offers golive ${publisherId} ${offerId} --wait\n`)
    }
  } else {
    const errors = errorMessagesOf(detail)
    io.err(
      `${errStyle.red('✖')} ${kind === 'publish' ? 'Publishing' : 'Going live'} ${outcome === 'canceled' ? 'was canceled' : 'failed'}${errors.length > 0 ? `: ${errors.join(' ')}` : '.'}\n`,
    )
  }
  return exitCodeOf(detail)
}

export const offersPublishCommand = publishCommand('publish')
export const offersGoLiveCommand = publishCommand('golive')
