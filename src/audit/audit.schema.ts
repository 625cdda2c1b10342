import { Type } from 'typebox'
import { AUDIT_ACTIONS, AUDIT_DOORS } from './audit-event.ts'

const optionalText = (description: string) => Type.Optional(Type.String({ description }))

export const AuditEventSchema = Type.Object(
  {
    id: Type.String({ description: 'Id of the record (GUID).' }),
    time: Type.String({ description: 'When the change was made (UTC, seven fractional digits).' }),
    door: Type.Enum(AUDIT_DOORS, { description: 'How the change came in.' }),
    actor: Type.Object(
      {
        principalId: optionalText('The principal that made the change (API, admin API).'),
        tenantId: optionalText("The caller's tenant."),
        clientId: optionalText("The caller's client (application) id."),
        osUser: optionalText('The operating-system user (CLI, bootstrap).'),
      },
      { description: 'Who made the change.' },
    ),
    action: Type.Enum(AUDIT_ACTIONS, { description: 'What kind of change.' }),
    publisherId: optionalText('The publisher the change concerns.'),
    offerId: optionalText('The offer the change concerns.'),
    subjectId: optionalText('What else it names: an operation, a principal, a signing key.'),
    requestId: optionalText('x-ms-request-id of the request that made it.'),
    correlationId: optionalText('x-ms-correlation-request-id of that request.'),
    outcome: Type.String({
      description: 'What the change came to: created, replaced, the operation state, …',
    }),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Facts of the change: ETags before and after, the diff of an offer PUT; never a secret.',
      }),
    ),
  },
  { $id: 'AuditEvent', description: 'One change, as the audit trail keeps it.' },
)

export const AuditEventListSchema = Type.Array(AuditEventSchema, {
  $id: 'AuditEventList',
  description: 'Audit records, oldest first.',
})

const TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,7})?Z$'

export const AuditQuerySchema = Type.Object({
  offerId: Type.Optional(Type.String({ minLength: 1, description: "Only this offer's records." })),
  principalId: Type.Optional(Type.String({ minLength: 1, description: "Only this principal's changes." })),
  since: Type.Optional(
    Type.String({
      pattern: TIMESTAMP,
      description: 'Records at or after this UTC time, e.g. 2024-05-01T00:00:00Z.',
    }),
  ),
  until: Type.Optional(Type.String({ pattern: TIMESTAMP, description: 'Records before this UTC time.' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 10_000, description: 'At most this many records (default 1000).' }),
  ),
})

export const AuditParamsSchema = Type.Object({
  publisherId: Type.String({ description: 'Publisher id.' }),
})
