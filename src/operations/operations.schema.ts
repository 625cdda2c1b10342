import { type Static, Type } from 'typebox'
import { ApiVersionQuerySchema } from '../http/api-version.ts'
import { OFFER_STATUSES } from '../offers/offer.ts'
import {
  CANCELLATION_REQUEST_STATES,
  MESSAGE_LEVELS,
  OPERATION_KINDS,
  OPERATION_SLOTS,
  OPERATION_STATUS_WORDS,
  STEP_STATUSES,
} from './operation.ts'

export const OperationMessageSchema = Type.Object(
  {
    messageHtml: Type.String({ description: 'The message, as HTML text.' }),
    level: Type.Enum(MESSAGE_LEVELS, { description: 'information, warning or error.' }),
    timestamp: Type.String({ description: 'UTC time of the message, seven fractional digits.' }),
  },
  { $id: 'OperationMessage', description: 'A message of an operation or of one of its steps.' },
)

export const StepSchema = Type.Object(
  {
    estimatedTimeFrame: Type.Optional(
      Type.String({ description: 'Friendly estimate of the step duration, e.g. "< 15 min".' }),
    ),
    id: Type.String({ description: 'Step identifier, e.g. displaycertify or publisher-signoff.' }),
    stepName: Type.String({ description: 'Friendly name of the step.' }),
    description: Type.String({ description: 'What happens in the step.' }),
    status: Type.Enum(STEP_STATUSES, { description: 'Step status, camelCase.' }),
    messages: Type.Array(OperationMessageSchema, { description: 'Notifications and errors of the step.' }),
    progressPercentage: Type.Integer({
      minimum: 0,
      maximum: 100,
      description: 'Progress of the step, 0 to 100.',
    }),
  },
  { $id: 'OperationStep', description: 'One step of the publishing pipeline of the offer type.' },
)

const linkList = (description: string) =>
  Type.Array(
    Type.Object(
      {
        displayText: Type.String({ description: 'Display text of the link.' }),
        uri: Type.String({ description: 'The link.' }),
      },
      { description: 'A link.' },
    ),
    { description },
  )

const notificationEmails = Type.Optional(
  Type.String({
    description:
      'Comma-separated addresses notified of progress ("" for none); absent for offers migrated to Partner Center.',
  }),
)

export const OperationDetailSchema = Type.Object(
  {
    status: Type.Enum(OPERATION_STATUS_WORDS, {
      description: 'Operation status; the success word is configurable (--operation-success-status).',
    }),
    messages: Type.Array(OperationMessageSchema, { description: 'Operation-level messages.' }),
    publishingVersion: Type.Integer({ description: 'The submission counter of the offer.' }),
    offerVersion: Type.Integer({ description: 'The offer version being published.' }),
    cancellationRequestState: Type.Enum(CANCELLATION_REQUEST_STATES, {
      description: 'Whether POST …/cancel would cancel this operation now.',
    }),
    steps: Type.Array(StepSchema, { description: 'The pipeline steps and their progress.' }),
    previewLinks: linkList('Preview links (not implemented by the service: always empty).'),
    liveLinks: linkList('Live links (not implemented by the service: always empty).'),
    notificationEmails,
  },
  { $id: 'OperationDetail', description: 'A publishing operation (reference E11).' },
)

export const OfferPublishingStatusSchema = Type.Object(
  {
    status: Type.Enum(OFFER_STATUSES, { description: 'Offer status, camelCase.' }),
    messages: Type.Array(OperationMessageSchema, { description: 'Messages of the latest operation.' }),
    steps: Type.Array(StepSchema, {
      description: 'Steps of the latest operation; empty if never published.',
    }),
    previewLinks: linkList('Preview links (always empty).'),
    liveLinks: linkList('Live links (always empty).'),
    notificationEmails,
  },
  { $id: 'OfferPublishingStatus', description: 'The publishing status of an offer (reference E5).' },
)

export const SubmissionSchema = Type.Object(
  {
    id: Type.String({ description: 'Operation id (GUID).' }),
    offerId: Type.String({ description: 'The offer the operation belongs to.' }),
    offerVersion: Type.Integer({ description: 'The offer version being published.' }),
    offerTypeId: Type.String({ description: 'The type of the offer.' }),
    publisherId: Type.String({ description: 'The publisher namespace.' }),
    submissionType: Type.Enum(OPERATION_KINDS, { description: 'publish or goLive.' }),
    submissionState: Type.Enum(OPERATION_STATUS_WORDS, {
      description: 'Operation state; the success word is configurable (--submission-success-state).',
    }),
    publishingVersion: Type.Integer({ description: 'The submission counter of the offer.' }),
    slot: Type.Enum(OPERATION_SLOTS, { description: 'staging (the Preview slot) or production.' }),
    version: Type.Unsafe<bigint>({
      type: 'integer',
      description: 'Row version: the change time in .NET ticks (64-bit).',
    }),
    definition: Type.Object(
      {
        metadata: Type.Object(
          {
            emails: Type.Optional(
              Type.String({
                description:
                  'Notification e-mails given with the request ("" for none); absent for migrated offers.',
              }),
            ),
          },
          { description: 'Metadata given with the request.' },
        ),
      },
      { description: 'What the request carried.' },
    ),
    changedTime: Type.String({ description: 'UTC time of the last change, seven fractional digits.' }),
  },
  { $id: 'Submission', description: 'An operation as the submissions list shows it (reference E10).' },
)

export const SubmissionListSchema = Type.Array(SubmissionSchema, {
  $id: 'SubmissionList',
  description: 'The operations of an offer, newest first.',
})

export const PublishRequestSchema = Type.Object(
  {
    metadata: Type.Optional(
      Type.Object(
        {
          'notification-emails': Type.Optional(
            Type.Union([Type.String(), Type.Array(Type.String())], {
              description: 'Comma-separated addresses (or a list) to notify about progress.',
            }),
          ),
        },
        { description: 'Request metadata.' },
      ),
    ),
  },
  {
    $id: 'PublishRequest',
    description: 'Optional body of publish, go-live and cancel; an empty body is accepted.',
  },
)

export const OfferParamsSchema = Type.Object({
  publisherId: Type.String({ description: 'Publisher identifier, e.g. contoso.' }),
  offerId: Type.String({ description: 'Offer identifier.' }),
})

export const OperationParamsSchema = Type.Object({
  ...OfferParamsSchema.properties,
  operationId: Type.String({ description: 'Operation id (GUID).' }),
})

export const SubmissionKeyParamsSchema = Type.Object({
  submission: Type.String({
    description:
      'publisherId, offerId, publishingVersion and slot (preview or production) joined by $ (or %24), e.g. contoso$contoso-offer$2$preview.',
  }),
})

export const SubmissionListQuerySchema = Type.Object({
  ...ApiVersionQuerySchema.properties,
  status: Type.Optional(
    Type.String({ description: 'Only operations in this state (any case), e.g. running.' }),
  ),
  submissionState: Type.Optional(Type.String({ description: 'The same filter, as devigned/pub sends it.' })),
  filteredStatus: Type.Optional(
    Type.String({ description: 'The same filter, as the 2018 reference names it.' }),
  ),
})

export type OperationDetail = Static<typeof OperationDetailSchema>
export type OfferPublishingStatus = Static<typeof OfferPublishingStatusSchema>
export type StepView = Static<typeof StepSchema>
export type Submission = Static<typeof SubmissionSchema>
export type PublishRequest = Static<typeof PublishRequestSchema>
