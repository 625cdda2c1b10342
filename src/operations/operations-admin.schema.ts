import { Type } from 'typebox'
import { FAULT_OUTCOMES, NOTIFICATION_EVENTS } from './operation.ts'

export const StepActionRequestSchema = Type.Object(
  {
    message: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'The error message the step shows (fail, block).',
      }),
    ),
  },
  { $id: 'StepActionRequest', description: 'Optional body of advance, fail and block.' },
)

export const PublishFaultRequestSchema = Type.Object(
  {
    stepId: Type.String({ minLength: 1, description: 'The step that fails, e.g. displaycertify or live.' }),
    outcome: Type.Optional(
      Type.Enum(FAULT_OUTCOMES, {
        description: 'failed (default): the step runs, then fails; blocked: it cannot start.',
      }),
    ),
    message: Type.String({ minLength: 1, maxLength: 2000, description: 'The error message the step shows.' }),
  },
  { $id: 'PublishFaultRequest', description: 'A failure for the next publish of the offer to meet.' },
)

export const PublishFaultSchema = Type.Object(
  {
    stepId: Type.String({ description: 'The step that fails.' }),
    outcome: Type.Enum(FAULT_OUTCOMES, { description: 'failed or blocked.' }),
    messages: Type.Array(Type.String({ description: 'An error message.' }), {
      description: 'The error messages the step shows.',
    }),
  },
  { $id: 'PublishFault', description: 'The failure planned for the next publish of an offer.' },
)

export const OutboxMessageSchema = Type.Object(
  {
    operationId: Type.String({ description: 'The operation the notification is about.' }),
    sequence: Type.Integer({ description: 'Order of the notification within its operation, from 1.' }),
    event: Type.Enum(NOTIFICATION_EVENTS, { description: 'What happened.' }),
    to: Type.Array(Type.String({ description: 'An address.' }), {
      description: 'Recipients: the notification-emails of the request (empty for migrated offers).',
    }),
    subject: Type.String({ description: 'Subject of the e-mail.' }),
    body: Type.String({ description: 'Text of the e-mail.' }),
    createdTime: Type.String({ description: 'When the service would have sent it.' }),
  },
  { $id: 'OutboxMessage', description: 'A notification e-mail the service would have sent.' },
)

export const OutboxListSchema = Type.Array(OutboxMessageSchema, {
  $id: 'OutboxList',
  description: 'The notifications of an operation, in order.',
})

export const AdminOperationParamsSchema = Type.Object({
  operationId: Type.String({ description: 'Operation id (GUID).' }),
})
