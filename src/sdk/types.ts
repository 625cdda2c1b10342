import type { Static } from 'typebox'
import type { ErrorBodySchema } from '../errors/error-body.schema.ts'
import type { OfferTypeListSchema, OfferTypeSchema } from '../offer-types/offer-types.schema.ts'
import type {
  OfferDocumentSchema,
  OfferSchema,
  OfferStatusSchema,
  OfferSummarySchema,
} from '../offers/offers.schema.ts'
import type {
  OfferPublishingStatusSchema,
  OperationDetailSchema,
  OperationMessageSchema,
  PublishRequestSchema,
  StepSchema,
  SubmissionSchema,
} from '../operations/operations.schema.ts'
import type {
  OutboxMessageSchema,
  PublishFaultRequestSchema,
  PublishFaultSchema,
} from '../operations/operations-admin.schema.ts'
import type { PublisherSchema } from '../publishers/publishers.schema.ts'

/*
 * Every type the SDK hands out or accepts is derived from the schemas the server validates and
 * serializes with (STYLE practice 3): a change of contract changes these types in the same commit.
 */

/** A publisher namespace (`GET /api/publishers`, reference §4.1). */
export type Publisher = Static<typeof PublisherSchema>
/** An offer type the service supports (`GET /api/offerTypes`). */
export type OfferType = Static<typeof OfferTypeSchema>
export type OfferTypeList = Static<typeof OfferTypeListSchema>
/** Offer status, camelCase as on the wire (reference §4.5). */
export type OfferStatus = Static<typeof OfferStatusSchema>
/** One item of the offers list (reference E3). */
export type OfferSummary = Static<typeof OfferSummarySchema>
/** A whole offer as GET and PUT answer it (reference E4, E6). Unknown envelope fields are kept. */
export type Offer = Static<typeof OfferSchema> & { readonly [field: string]: unknown }
/** The workload definition of an offer: display name, namespaced offer keys, plans. */
export type OfferDefinition = Offer['definition']

/**
 * The body of a PUT (reference E6). The definition is checked by the server against the offer
 * type; `validateOffer()` runs the same check locally. A GET answer (`Offer`) may be PUT back as is.
 */
export type OfferDocument = Omit<Static<typeof OfferDocumentSchema>, 'definition'> & {
  readonly definition: {
    readonly displayText: string
    readonly offer?: Record<string, unknown>
    readonly plans?: readonly Record<string, unknown>[]
    readonly [key: string]: unknown
  }
  readonly [field: string]: unknown
}

/** The publishing status of an offer (reference E5). */
export type OfferPublishingStatus = Static<typeof OfferPublishingStatusSchema>
/** A publishing operation with its steps (reference E11, E12, and the `Location` of a 202). */
export type OperationDetail = Static<typeof OperationDetailSchema>
/** One pipeline step of an operation (reference §4.6). */
export type OperationStep = Static<typeof StepSchema>
export type OperationMessage = Static<typeof OperationMessageSchema>
/** Operation `status` as the wire has it; the success word is one of complete, completed, succeeded. */
export type OperationStatus = OperationDetail['status']
/**
 * One item of the submissions list (reference E10). `version` is a 64-bit .NET tick count: the SDK
 * reads it exactly, as a bigint.
 */
export type Submission = Static<typeof SubmissionSchema>
/** The optional body of publish, go-live and cancel. */
export type PublishRequest = Static<typeof PublishRequestSchema>
/** The CPP error envelope `{"error":{"code","message"}}` (reference §3.4). */
export type ErrorBody = Static<typeof ErrorBodySchema>
/** The error codes this server answers; the real service may answer others. */
export type KnownErrorCode = ErrorBody['error']['code']

/** Emulator only: a notification the service would have e-mailed. */
export type OutboxMessage = Static<typeof OutboxMessageSchema>
/** Emulator only: the failure planned for the next publish of an offer. */
export type PublishFault = Static<typeof PublishFaultSchema>
export type PublishFaultRequest = Static<typeof PublishFaultRequestSchema>

/** The slots of an offer (reference §4.3); the server accepts any case. */
export type SlotName = 'draft' | 'preview' | 'production'
