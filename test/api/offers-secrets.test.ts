import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createOfferSecrets } from '../../src/offers/offer-secrets.ts'
import { appDocument, CORE_VM, coreVmDocument, vmDocument } from './fixtures/offer-documents.ts'
import { errorOf, offersClient } from './fixtures/offers-client.ts'

const CONNECTION_STRING =
  'DefaultEndpointsProtocol=https;AccountName=contosoleads;AccountKey=c2VjcmV0LWtleS1ub3QtZm9yLWxvZ3M=;EndpointSuffix=core.windows.net'
const CRM_PASSWORD = 'crm-p@ssw0rd-never-returned'
const CRM_APPLICATION_KEY = 'crm-application-key-never-returned'

/** A VM offer whose leads go to Azure Table, with a Dynamics CRM configuration kept too. */
function withLeadSecrets(): Record<string, unknown> {
  const document = vmDocument()
  const offer = (document.definition as { offer: Record<string, unknown> }).offer
  offer['microsoft-azure-marketplace.leadDestination'] = 'AzureTable'
  offer['microsoft-azure-marketplace.tableLeadConfiguration'] = {
    contactEmail: 'leads@contoso.com',
    connectionString: CONNECTION_STRING,
  }
  offer['microsoft-azure-marketplace.crmLeadConfiguration'] = {
    instanceUrl: 'https://contoso.crm.dynamics.com',
    authentication: { type: 'azureAD', applicationId: 'app', applicationKey: CRM_APPLICATION_KEY },
    userName: 'leads@contoso.com',
    password: CRM_PASSWORD,
  }
  return document
}

const SECRETS = [CONNECTION_STRING, CRM_PASSWORD, CRM_APPLICATION_KEY]

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.equal(text.includes(secret), false, `${where} holds a secret`)
}

test('secret-typed values are never returned, and stored only sealed', async (t) => {
  const client = await offersClient(t)
  const created = await client.put('contosovirtualmachine', withLeadSecrets())
  assert.equal(created.statusCode, 200)
  assertNoSecret(created.body, 'the PUT answer')
  const offer = created.json().definition.offer
  assert.deepEqual(offer['microsoft-azure-marketplace.tableLeadConfiguration'], {
    contactEmail: 'leads@contoso.com',
  })
  assert.deepEqual(offer['microsoft-azure-marketplace.crmLeadConfiguration'], {
    instanceUrl: 'https://contoso.crm.dynamics.com',
    authentication: { type: 'azureAD', applicationId: 'app' },
    userName: 'leads@contoso.com',
  })
  for (const path of ['', '/versions/1', '/slot/draft']) {
    assertNoSecret((await client.get(`/contosovirtualmachine${path}`)).body, `GET${path}`)
  }

  const stored = await client.ctx.stores.offers.findOffer('contoso', 'contosovirtualmachine')
  assert.ok(stored?.sealedSecrets)
  assertNoSecret(JSON.stringify(stored), 'the stored offer')
  assert.deepEqual(createOfferSecrets(client.ctx.masterKey).open(stored.sealedSecrets), {
    '/microsoft-azure-marketplace.tableLeadConfiguration/connectionString': CONNECTION_STRING,
    '/microsoft-azure-marketplace.crmLeadConfiguration/authentication/applicationKey': CRM_APPLICATION_KEY,
    '/microsoft-azure-marketplace.crmLeadConfiguration/password': CRM_PASSWORD,
  })

  // Published versions carry them along, sealed, and do not return them either.
  await client.ctx.stores.offers.snapshotDraft(
    'contoso',
    'contosovirtualmachine',
    '2026-11-21T11:00:00.0000000Z',
  )
  const version = await client.ctx.stores.offers.findVersion('contoso', 'contosovirtualmachine', 1)
  assert.equal(version?.sealedSecrets, stored.sealedSecrets)
  assertNoSecret((await client.get('/contosovirtualmachine/versions/1')).body, 'GET /versions/1')
})

test('GET then PUT back keeps the stored secrets; a new value replaces one; "" or null clears it', async (t) => {
  const client = await offersClient(t)
  await client.put('contosovirtualmachine', withLeadSecrets())
  const secrets = createOfferSecrets(client.ctx.masterKey)
  const storedSecrets = async () =>
    secrets.open(
      (await client.ctx.stores.offers.findOffer('contoso', 'contosovirtualmachine'))?.sealedSecrets,
    )

  const read = await client.get('/contosovirtualmachine')
  const document = read.json()
  document.definition.offer['microsoft-azure-marketplace.title'] = 'Edited'
  const putBack = await client.put('contosovirtualmachine', document, {
    'if-match': read.headers.etag as string,
  })
  assert.equal(putBack.statusCode, 200)
  assert.equal(Object.keys(await storedSecrets()).length, 3, 'nothing was lost by the round trip')

  const rotated = putBack.json()
  rotated.definition.offer['microsoft-azure-marketplace.crmLeadConfiguration'].password = 'rotated'
  rotated.definition.offer['microsoft-azure-marketplace.crmLeadConfiguration'].authentication.applicationKey =
    ''
  rotated.definition.offer['microsoft-azure-marketplace.tableLeadConfiguration'].connectionString = null
  const answer = await client.put('contosovirtualmachine', rotated, { 'if-match': '*' })
  assert.equal(answer.statusCode, 200)
  assert.equal(answer.body.includes('rotated'), false)
  assert.deepEqual(await storedSecrets(), {
    '/microsoft-azure-marketplace.crmLeadConfiguration/password': 'rotated',
  })

  const cleared = answer.json()
  cleared.definition.offer['microsoft-azure-marketplace.crmLeadConfiguration'].password = ''
  await client.put('contosovirtualmachine', cleared, { 'if-match': '*' })
  const offer = await client.ctx.stores.offers.findOffer('contoso', 'contosovirtualmachine')
  assert.equal(offer?.sealedSecrets, undefined, 'no secrets left: nothing sealed is kept')
})

test('a secret-typed member that is not a string is refused without echoing it', async (t) => {
  const client = await offersClient(t)
  const document = vmDocument()
  ;(document.definition as { offer: Record<string, unknown> }).offer[
    'microsoft-azure-marketplace.blobLeadConfiguration'
  ] = { containerName: 'leads', storageAccountConnectionString: { value: 'sneaky-secret-object' } }
  const response = await client.put('contosovirtualmachine', document)
  assert.equal(response.statusCode, 400)
  assert.equal(
    errorOf(response).message,
    "The offer is invalid: definition.offer['microsoft-azure-marketplace.blobLeadConfiguration'].storageAccountConnectionString: is a secret and must be a string (empty or null clears it).",
  )
})

test('core VM and Azure application lead configurations are secret-typed alike', async (t) => {
  const client = await offersClient(t)
  const core = coreVmDocument()
  ;(core.definition as { offer: Record<string, unknown> }).offer[`${CORE_VM}.blobLeadConfiguration`] = {
    storageAccountConnectionString: CONNECTION_STRING,
  }
  const app = appDocument()
  ;(app.definition as { offer: Record<string, unknown> }).offer[
    'microsoft-azure-marketplace.httpsEndpointLeadConfiguration'
  ] = { httpsEndpointUrl: 'https://leads.contoso.com', clientSecret: CRM_PASSWORD }
  for (const [offerId, document] of [
    ['contoso-core', core],
    ['contoso-app', app],
  ] as const) {
    const response = await client.put(offerId, document)
    assert.equal(response.statusCode, 200)
    assertNoSecret(response.body, offerId)
    assertNoSecret((await client.get(`/${offerId}`)).body, offerId)
  }
})

test('secrets never reach the logs, whether the PUT succeeds or fails', async (t) => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const client = await offersClient(t, {}, { logger: { level: 'trace', stream } })
  await client.put('contosovirtualmachine', withLeadSecrets())
  await client.put('contosovirtualmachine', withLeadSecrets())
  const malformed = withLeadSecrets()
  ;(malformed.definition as { displayText: unknown }).displayText = 42
  await client.put('contosovirtualmachine', malformed, { 'if-match': '*' })
  await client.get('/contosovirtualmachine')

  const logged = lines.join('')
  assert.match(logged, /incoming request/, 'the capture sees the request logs')
  assertNoSecret(logged, 'the log')
})
