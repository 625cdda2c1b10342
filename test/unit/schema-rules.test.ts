import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ErrorBodySchema } from '../../src/errors/error-body.schema.ts'
import { OfferTypeListSchema, OfferTypeSchema } from '../../src/offer-types/offer-types.schema.ts'
import { OfferSummaryListSchema, OfferSummarySchema } from '../../src/offers/offers.schema.ts'
import {
  OfferPublishingStatusSchema,
  OperationDetailSchema,
  OperationMessageSchema,
  PublishRequestSchema,
  StepSchema,
  SubmissionListSchema,
  SubmissionSchema,
} from '../../src/operations/operations.schema.ts'
import {
  OutboxListSchema,
  OutboxMessageSchema,
  PublishFaultRequestSchema,
  PublishFaultSchema,
  StepActionRequestSchema,
} from '../../src/operations/operations-admin.schema.ts'
import { PublisherListSchema, PublisherSchema } from '../../src/publishers/publishers.schema.ts'

/** Every response schema of the API: each names itself, has a type, and describes every property. */
const SCHEMAS: Record<string, unknown> = {
  ErrorBodySchema,
  OfferSummarySchema,
  OfferSummaryListSchema,
  OfferTypeSchema,
  OfferTypeListSchema,
  PublisherSchema,
  PublisherListSchema,
  OperationMessageSchema,
  StepSchema,
  OperationDetailSchema,
  OfferPublishingStatusSchema,
  SubmissionSchema,
  SubmissionListSchema,
  PublishRequestSchema,
  OutboxMessageSchema,
  OutboxListSchema,
  PublishFaultSchema,
  PublishFaultRequestSchema,
  StepActionRequestSchema,
}

function undescribed(schema: Record<string, unknown>, path: string): string[] {
  const problems: string[] = []
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
  for (const [name, property] of Object.entries(properties)) {
    if (typeof property.description !== 'string') problems.push(`${path}.${name}`)
    problems.push(...undescribed(property, `${path}.${name}`))
  }
  if (schema.items && typeof schema.items === 'object')
    problems.push(...undescribed(schema.items as Record<string, unknown>, `${path}[]`))
  return problems
}

test('every API schema has an $id, a type and a description on every property', () => {
  for (const [name, schema] of Object.entries(SCHEMAS) as [string, Record<string, unknown>][]) {
    assert.equal(typeof schema.$id, 'string', `${name} has no $id`)
    assert.ok(schema.type, `${name} has no type`)
    assert.equal(typeof schema.description, 'string', `${name} has no description`)
    assert.deepEqual(undescribed(schema, name), [], `${name} has properties without a description`)
  }
})
