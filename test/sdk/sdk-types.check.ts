/*
 * Type-level tests of the SDK: `npm run typecheck` (tsc --noEmit) checks this file, and fails if a
 * line marked @ts-expect-error stops being an error. Nothing here runs: the test runner only picks
 * up *.test.ts files.
 */
import type { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity'
import type {
  CloudPartnerClient,
  CloudPartnerClientOptions,
  Offer,
  OfferDocument,
  OfferStatus,
  OperationDetail,
  OperationStatus,
  Submission,
} from 'cloudpartner/sdk'

declare const client: CloudPartnerClient
declare const offer: Offer

export async function typeChecks(): Promise<void> {
  // A GET answer can be PUT back as it is, with its ETag.
  const { etag } = await client.offers.get('contoso', 'o')
  await client.offers.put('contoso', 'o', offer, etag === undefined ? {} : { ifMatch: etag })
  const document: OfferDocument = {
    offerTypeId: 'microsoft-azure-corevm',
    definition: { displayText: 'x', offer: {}, plans: [{ planId: 'p' }] },
    anExtraEnvelopeField: true,
  }
  await client.offers.put('contoso', 'o', document)

  // @ts-expect-error an unknown offer type
  const badType: OfferDocument = { offerTypeId: 'microsoft-azure-bogus', definition: { displayText: 'x' } }
  // @ts-expect-error a definition needs its display text
  await client.offers.put('contoso', 'o', { offerTypeId: 'microsoft-azure-corevm', definition: {} })
  // @ts-expect-error slots are draft, preview or production
  await client.offers.getSlot('contoso', 'o', 'staging')
  // @ts-expect-error the version is a number
  await client.offers.getVersion('contoso', 'o', '2')
  // @ts-expect-error offer statuses are the service's vocabulary
  await client.offers.list('contoso', { status: 'published' })

  // The wire vocabularies come from the schemas.
  const status: OfferStatus = offer.status
  // @ts-expect-error not an offer status
  const notStatus: OfferStatus = 'complete'
  const detail: OperationDetail = await (await client.offers.publish('contoso', 'o')).wait()
  const word: OperationStatus = detail.status
  // @ts-expect-error not an operation status
  const notWord: OperationStatus = 'done'
  // The submissions list's 64-bit version is a bigint.
  const [submission] = await client.offers.listOperations('contoso', 'o')
  const ticks: bigint | undefined = submission?.version
  // @ts-expect-error not a number
  const asNumber: number | undefined = (submission as Submission).version
  void [badType, status, notStatus, word, notWord, ticks, asNumber]
}

declare const secretCredential: ClientSecretCredential
declare const defaultCredential: DefaultAzureCredential

export function credentialChecks(): CloudPartnerClientOptions[] {
  return [
    // Azure's TokenCredentials fit as they are: the SDK does not depend on @azure/identity.
    { credential: secretCredential },
    { endpoint: 'http://127.0.0.1:8080', credential: defaultCredential },
    {
      credential: {
        getToken: async (scopes: string | string[]) => ({ token: String(scopes), expiresOnTimestamp: 0 }),
      },
    },
    // @ts-expect-error a credential answers an AccessToken, not a bare string
    { credential: { getToken: async () => 'token' } },
  ]
}
