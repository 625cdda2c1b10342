import type { NotificationEvent, Operation, OutboxMessage } from './operation.ts'
import { operationLocation } from './operation-location.ts'
import { pipelineStep } from './pipelines.ts'

/**
 * The e-mail the service would send for an event of an operation, for the emulator's outbox. Offers
 * that were not migrated notify the addresses given with the request; migrated offers ignore them
 * and notify the seller contact of the Partner Center account (reference §1.3). Answers undefined
 * when nobody would be notified.
 */
export function notificationFor(
  operation: Operation,
  event: NotificationEvent,
  createdTime: string,
): Omit<OutboxMessage, 'sequence'> | undefined {
  const to = operation.migrated ? [] : recipients(operation.notificationEmails)
  if (!operation.migrated && to.length === 0) return undefined
  const offer = `offer '${operation.offerId}' of publisher '${operation.publisherId}'`
  const what = operation.kind === 'publish' ? 'Publishing' : 'Go-live'
  const { subject, lines } = texts(operation, event, offer, what)
  const footer = [
    '',
    `Publishing version ${operation.publishingVersion}, offer version ${operation.offerVersion}.`,
    `Operation: ${operationLocation(operation)}`,
    ...(operation.migrated
      ? [
          'Sent to the seller contact of the Partner Center account: e-mails given with requests are ignored for migrated offers.',
        ]
      : []),
  ]
  return {
    operationId: operation.id,
    event,
    to,
    subject,
    body: [...lines, ...footer].join('\n'),
    createdTime,
  }
}

function texts(
  operation: Operation,
  event: NotificationEvent,
  offer: string,
  what: string,
): { subject: string; lines: string[] } {
  switch (event) {
    case 'started':
      return {
        subject: `${what} of ${operation.offerId} started`,
        lines: [`${what} of ${offer} has started.`],
      }
    case 'waitingForPublisherReview':
      return {
        subject: `${operation.offerId} is ready for your review`,
        lines: [
          `The new version of ${offer} is available to preview.`,
          'Ensure that everything looks good, then go live.',
        ],
      }
    case 'live':
      return {
        subject: `${operation.offerId} is live`,
        lines: [`${offer} is publicly visible and available for purchase.`],
      }
    case 'failed':
      return {
        subject: `${what} of ${operation.offerId} failed`,
        lines: [`${what} of ${offer} failed.`, ...problems(operation)],
      }
    case 'canceled':
      return {
        subject: `${what} of ${operation.offerId} was canceled`,
        lines: [`${what} of ${offer} was canceled.`],
      }
  }
}

function problems(operation: Operation): string[] {
  return operation.steps.flatMap((step) =>
    step.messages
      .filter((message) => message.level === 'error')
      .map(
        (message) =>
          `${pipelineStep(operation.offerTypeId, step.id)?.stepName ?? step.id}: ${message.messageHtml}`,
      ),
  )
}

function recipients(emails: string | undefined): string[] {
  return (emails ?? '')
    .split(/[,;]/)
    .map((address) => address.trim())
    .filter((address) => address !== '')
}
