import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { startTestApp } from '../helpers/test-app.ts'
import { assertAadError, assertUnauthorized, listOffers, requestToken } from '../helpers/token-requests.ts'

const DEVELOPMENT = {
  tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
  clientId: DEVELOPMENT_CREDENTIALS.clientId,
  secret: DEVELOPMENT_CREDENTIALS.clientSecret,
}

/**
 * A database first started in development mode holds the well-known principal. Started again in
 * production mode, the server must neither issue tokens for it nor accept the ones it issued before.
 */
test('the well-known development principal is refused in production mode, at the token endpoint and at /api', async (t) => {
  const development = await startTestApp(t)
  const { principal } = await development.services.principals.create({
    tenantId: DEVELOPMENT.tenantId,
    clientId: DEVELOPMENT.clientId,
    secret: DEVELOPMENT.secret,
    displayName: DEVELOPMENT_CREDENTIALS.displayName,
  })
  await development.createPublisher('contoso')
  await development.grant(principal, 'contoso')
  const developmentToken = await development.tokenFor({ id: principal.id, ...DEVELOPMENT })
  assert.equal((await listOffers(development.app, 'contoso', `Bearer ${developmentToken}`)).statusCode, 200)

  const production = await startTestApp(t, {
    settings: { production: true },
    stores: development.stores,
    masterKey: development.masterKey,
    clock: development.clock,
  })
  assert.equal(production.config.production, true)

  for (const version of ['v1', 'v2'] as const) {
    const body = assertAadError(
      await requestToken(production.app, DEVELOPMENT, version),
      401,
      'invalid_client',
      7000215,
    )
    assert.match(String(body.error_description), /production mode/)
  }
  const message = assertUnauthorized(
    await listOffers(production.app, 'contoso', `Bearer ${developmentToken}`),
  )
  assert.match(message, /production mode/)
})
