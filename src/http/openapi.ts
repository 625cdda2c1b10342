import type { SwaggerOptions } from '@fastify/swagger'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'
import { CURRENT_API_VERSION } from './api-version.ts'

/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the route schemas by @fastify/swagger
 * when it is first asked for. Registered on the app, the plugin and the YAML library it loads (~90
 * modules) cost every start ~30 ms and 1 MB for a document few runs ask for (docs/performance.md,
 * "Start-up"). So the app only records its routes as @fastify/swagger would (every route but the
 * HEAD ones Fastify adds), and the first request replays them, schemas and all, into a bare Fastify
 * instance that has the plugin: the same routes in the same order give the same document.
 */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const routes: RouteOptions[] = []
  // The plugins' own scopes too: a schema added inside one is theirs (as @fastify/swagger collects).
  const scopes: FastifyInstance[] = [app]
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') routes.push(route)
  })
  app.addHook('onRegister', (scope) => {
    scopes.push(scope)
  })
  let document: Promise<unknown> | undefined
  app.get('/openapi.json', { schema: { hide: true } }, () => {
    document ??= generate(routes, Object.assign({}, ...scopes.map((scope) => scope.getSchemas())), version)
    // A failure is not kept: the next request tries again.
    document.catch(() => {
      document = undefined
    })
    return document
  })
}

async function generate(
  routes: readonly RouteOptions[],
  sharedSchemas: Record<string, unknown>,
  version: string,
): Promise<unknown> {
  const { default: swagger } = await import('@fastify/swagger')
  const replay = Fastify({ exposeHeadRoutes: false })
  try {
    await replay.register(swagger, swaggerOptions(version))
    // The document needs the schemas, not validators or serializers.
    replay.setValidatorCompiler(() => () => true)
    replay.setSerializerCompiler(() => (data) => JSON.stringify(data))
    for (const schema of Object.values(sharedSchemas)) replay.addSchema(schema)
    for (const { method, url, schema, config } of routes)
      replay.route({ method, url, schema, config, handler: noop })
    await replay.ready()
    return replay.swagger()
  } finally {
    await replay.close()
  }
}

function noop(): undefined {}

function swaggerOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cloud Partner Portal offers API',
        version,
        description: `A faithful implementation of the Cloud Partner Portal offers API, api-version ${CURRENT_API_VERSION}. Every /api call takes ?api-version=${CURRENT_API_VERSION} and an Azure AD bearer token for https://cloudpartner.azure.com.`,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ bearer: [] }],
    },
    refResolver: {
      // Name components after the schemas' $id instead of def-N.
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
  }
}
