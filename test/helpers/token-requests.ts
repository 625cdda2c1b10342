import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { API } from './test-app.ts'

export const V1_RESOURCE = 'https://cloudpartner.azure.com'
export const V2_SCOPE = 'https://cloudpartner.azure.com/.default'

export interface ClientCredentials {
  readonly tenantId: string
  readonly clientId: string
  readonly secret: string
}

/** The form of a v1 client-credentials request, as ansible, libcloud and ADAL send it. */
export function v1Form(principal: ClientCredentials): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: principal.clientId,
    client_secret: principal.secret,
    resource: V1_RESOURCE,
  }
}

/** The form of a v2 client-credentials request, as MSAL sends it. */
export function v2Form(principal: ClientCredentials): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: principal.clientId,
    client_secret: principal.secret,
    scope: V2_SCOPE,
  }
}

export function tokenPath(tenantId: string, version: 'v1' | 'v2' = 'v1'): string {
  return version === 'v1' ? `/${tenantId}/oauth2/token` : `/${tenantId}/oauth2/v2.0/token`
}

export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  })
}

export function requestToken(
  app: FastifyInstance,
  principal: ClientCredentials,
  version: 'v1' | 'v2' = 'v1',
): Promise<LightMyRequestResponse> {
  const form = version === 'v1' ? v1Form(principal) : v2Form(principal)
  return postForm(app, tokenPath(principal.tenantId, version), form)
}

export function listOffers(
  app: FastifyInstance,
  publisherId: string,
  authorization: string | undefined,
): Promise<LightMyRequestResponse> {
  return app.inject({
    url: `/api/publishers/${publisherId}/offers${API}`,
    headers: authorization === undefined ? {} : { authorization },
  })
}

/** Checks every field Azure AD puts in an error answer, and that the description leads with the code. */
export function assertAadError(
  response: LightMyRequestResponse,
  status: number,
  error: string,
  aadsts: number,
): Record<string, unknown> {
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  const body = response.json() as Record<string, unknown>
  assert.equal(body.error, error)
  assert.match(String(body.error_description), new RegExp(`^AADSTS${aadsts}: `))
  assert.deepEqual(body.error_codes, [aadsts])
  assert.match(String(body.timestamp), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/)
  assert.match(String(body.trace_id), /^[0-9a-f-]{36}$/)
  assert.match(String(body.correlation_id), /^[0-9a-f-]{36}$/)
  return body
}

/** Checks the CPP 401: the error envelope and a Bearer challenge. Answers the message. */
export function assertUnauthorized(response: LightMyRequestResponse): string {
  assert.equal(response.statusCode, 401, response.body)
  const body = response.json() as { error: { code: string; message: string } }
  assert.deepEqual(Object.keys(body), ['error'])
  assert.equal(body.error.code, 'Unauthorized')
  assert.equal(typeof body.error.message, 'string')
  assert.match(String(response.headers['www-authenticate']), /^Bearer\b/)
  return body.error.message
}

/** The decoded header and payload of a compact JWS, without verifying it. */
export function decodeToken(token: string): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const [header, payload] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
  }
}
