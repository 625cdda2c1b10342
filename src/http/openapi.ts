import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { CURRENT_API_VERSION } from './api-version.ts'

/** The OpenAPI 3.1 document, generated from the route schemas. */
export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
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
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
