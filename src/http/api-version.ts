import { Type } from 'typebox'
import { errors } from '../errors/errors.ts'

/**
 * The api-versions the service answers. Every reference page uses 2017-10-31; the older
 * 2016-08-01-preview still appears in two of its samples (and in its own error example), so we
 * accept it as an alias of the same behaviour.
 */
export const SUPPORTED_API_VERSIONS = ['2016-08-01-preview', '2017-10-31'] as const
export const CURRENT_API_VERSION = '2017-10-31'

export function checkApiVersion(value: unknown): void {
  if (typeof value === 'string' && (SUPPORTED_API_VERSIONS as readonly string[]).includes(value.trim()))
    return
  throw errors.invalidApiVersion(SUPPORTED_API_VERSIONS)
}

/** The query every /api call takes; documented on each route so that it shows in the OpenAPI document. */
export const ApiVersionQuerySchema = Type.Object({
  'api-version': Type.Optional(
    Type.String({
      description: `API version: ${CURRENT_API_VERSION} (${SUPPORTED_API_VERSIONS[0]} is also accepted).`,
    }),
  ),
})
