import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

// What Fastify calls and reads (lib/validation.js, lib/reply.js). Its declared types are Ajv's, whose
// validate functions carry `schema` and `schemaEnv` too, which Fastify never reads.
type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type ValidatorCompiler = (route: unknown) => Validate
type BuildValidator = (externalSchemas: unknown, ajvOptions: unknown) => ValidatorCompiler
type Serialize = (data: unknown) => string
type SerializerCompiler = (route: unknown) => Serialize
type BuildSerializer = (externalSchemas: unknown, serializerOptions: unknown) => SerializerCompiler

/**
 * Fastify's own validator (Ajv) and serializer (fast-json-stringify) compilers, each route's schema
 * compiled when the route is first called instead of while the app starts. Start-up compiled 62
 * validators and 152 serializers (every route's error answers have theirs), a tenth of its CPU time,
 * for routes most runs never call (docs/performance.md, "Start-up"). The functions compiled are the
 * ones Fastify would have compiled, by the compilers of Fastify's own dependencies.
 *
 * What changes: a schema that does not compile fails its route's first call (a 500) rather than the
 * start; the tests call every route. Fastify lowercases the property names of a `headers` schema
 * only for its default compiler, so request header schemas are written in lowercase (Node hands
 * headers over in lowercase).
 */
export function lazySchemaCompilers(): CompilersFactory {
  // Even the compilers are loaded by the first route that needs one: Ajv with its formats, and
  // fast-json-stringify, which loads Ajv too (to check the schemas it is given).
  const fastifyRequire = createRequire(import.meta.resolve('fastify'))
  let buildValidator: BuildValidator | undefined
  let buildSerializer: BuildSerializer | undefined
  const lazyValidator: BuildValidator = (externalSchemas, ajvOptions) => {
    let compiler: ValidatorCompiler | undefined
    const compile = (route: unknown) => {
      buildValidator ??= fastifyRequire('@fastify/ajv-compiler')() as BuildValidator
      compiler ??= buildValidator(externalSchemas, ajvOptions)
      return compiler(route)
    }
    return (route) => {
      let validate: Validate | undefined
      // Fastify reads a failed validation's errors from the function it was given.
      const lazy: Validate = (data: unknown) => {
        validate ??= compile(route)
        const result = validate(data)
        lazy.errors = validate.errors
        return result
      }
      return lazy
    }
  }
  const lazySerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
    let compiler: SerializerCompiler | undefined
    const compile = (route: unknown) => {
      buildSerializer ??= fastifyRequire('@fastify/fast-json-stringify-compiler')() as BuildSerializer
      compiler ??= buildSerializer(externalSchemas, serializerOptions)
      return compiler(route)
    }
    return (route) => {
      let serialize: Serialize | undefined
      return (data) => {
        serialize ??= compile(route)
        return serialize(data)
      }
    }
  }
  return {
    buildValidator: lazyValidator as unknown as CompilersFactory['buildValidator'],
    buildSerializer: lazySerializer as unknown as CompilersFactory['buildSerializer'],
  }
}
