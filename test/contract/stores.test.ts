import { testBackends } from '../helpers/backends.ts'
import { auditStoreContract } from './audit-store.contract.ts'
import { certificatesAndAssertionsContract } from './certificates-and-assertions.contract.ts'
import { offerDraftsContract } from './offer-drafts.contract.ts'
import { offerPagesContract } from './offer-pages.contract.ts'
import { offerStampsContract } from './offer-stamps.contract.ts'
import { offerStoreContract } from './offer-store.contract.ts'
import { offerVersionsContract } from './offer-versions.contract.ts'
import { operationStoreContract } from './operation-store.contract.ts'
import { portalSessionStoreContract } from './portal-session-store.contract.ts'
import { principalStoreContract } from './principal-store.contract.ts'
import { publisherStoreContract } from './publisher-store.contract.ts'
import { publishingReadsContract } from './publishing-reads.contract.ts'
import { settingsAndKeysContract } from './settings-and-keys.contract.ts'

/** The store contract: every backend passes the same suite, or none of it lands. */
for (const backend of testBackends()) {
  publisherStoreContract(backend)
  principalStoreContract(backend)
  certificatesAndAssertionsContract(backend)
  offerStoreContract(backend)
  offerVersionsContract(backend)
  offerDraftsContract(backend)
  offerPagesContract(backend)
  offerStampsContract(backend)
  settingsAndKeysContract(backend)
  operationStoreContract(backend)
  publishingReadsContract(backend)
  portalSessionStoreContract(backend)
  auditStoreContract(backend)
}
