import { Type } from 'typebox'
import { ERROR_CODES } from './api-error.ts'

/** The CPP error envelope: `{"error":{"code","message"}}` (reference §3.4). */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Enum(ERROR_CODES, { description: 'Machine-readable error code, PascalCase.' }),
        message: Type.String({ description: 'Human-readable explanation.' }),
      },
      { description: 'The error details.' },
    ),
  },
  { $id: 'ErrorBody', description: 'The error envelope every failed API call answers with.' },
)

/** Error responses shared by every authenticated CPP route, for the OpenAPI document. */
export const commonErrorResponses = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
} as const
