import type { FastifySchemaCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'

/**
 * @fastify/type-provider-typebox's TypeBoxValidatorCompiler (6.3), with the schema compiled at the
 * route's first call instead of at start-up. Not imported from the type provider: its module also
 * imports ajv-formats, and with it Ajv (~90 modules), for `registerAjvFormats`, which this server
 * never calls; the offer routes, which a client calls first, need neither (docs/performance.md,
 * "Start-up"). Its types are still the provider's (TypeBoxTypeProvider, a type-only import).
 */
export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  let check: ReturnType<typeof Compile<TSchema>> | undefined
  return (value: unknown) => {
    check ??= Compile(schema)
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value)
    if (check.Check(converted)) return { value: converted }
    return { error: check.Errors(converted) }
  }
}
