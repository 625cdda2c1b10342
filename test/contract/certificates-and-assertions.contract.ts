import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Backend } from '../helpers/backends.ts'
import { openFresh, T0 } from './open-fresh.ts'

const principal = {
  id: 'p-pipeline',
  tenantId: 'tenant-1',
  clientId: 'app-pipeline',
  objectId: 'obj-pipeline',
  displayName: 'Pipeline',
  createdTime: T0,
}
const certificate = {
  principalId: 'p-pipeline',
  thumbprintSha1: 'AA'.repeat(20),
  thumbprintSha256: 'BB'.repeat(32),
  certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  createdTime: T0,
}

export function certificatesAndAssertionsContract(backend: Backend): void {
  describe(`Certificates and spent assertions on ${backend.name}`, () => {
    test('a certificate is registered once per principal, listed, and removed by either thumbprint', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(principal)
      assert.equal(await principals.addCertificate(certificate), true)
      assert.equal(
        await principals.addCertificate({ ...certificate, createdTime: '2026-11-22T00:00:00.0000000Z' }),
        false,
      )
      const second = { ...certificate, thumbprintSha1: 'CC'.repeat(20), thumbprintSha256: 'DD'.repeat(32) }
      assert.equal(await principals.addCertificate(second), true)
      assert.deepEqual(await principals.listCertificates('p-pipeline'), [certificate, second])
      assert.equal(await principals.removeCertificate('p-pipeline', certificate.thumbprintSha1), true)
      assert.equal(await principals.removeCertificate('p-pipeline', second.thumbprintSha256), true)
      assert.equal(await principals.removeCertificate('p-pipeline', second.thumbprintSha256), false)
      assert.deepEqual(await principals.listCertificates('p-pipeline'), [])
    })

    test('deleting a principal deletes its certificates', async (t) => {
      const { principals } = await openFresh(t, backend)
      await principals.createPrincipal(principal)
      await principals.addCertificate(certificate)
      assert.equal(await principals.deletePrincipal('p-pipeline'), true)
      assert.deepEqual(await principals.listCertificates('p-pipeline'), [])
    })

    test('a jti is spent once per client until it expires; far-future expiries are kept', async (t) => {
      const { assertionReplay } = await openFresh(t, backend)
      assert.equal(await assertionReplay.spendAssertion('app-1', 'jti-1', 2_000, 1_000), true)
      assert.equal(await assertionReplay.spendAssertion('app-1', 'jti-1', 2_000, 1_500), false)
      assert.equal(await assertionReplay.spendAssertion('app-2', 'jti-1', 2_000, 1_500), true)
      // Once expired it is forgotten (its assertion is refused on exp before it gets here).
      assert.equal(await assertionReplay.spendAssertion('app-1', 'jti-1', 3_000, 2_001), true)
      assert.equal(
        await assertionReplay.spendAssertion('app-1', 'jti-far', Number.MAX_SAFE_INTEGER, 2_001),
        true,
      )
      assert.equal(
        await assertionReplay.spendAssertion('app-1', 'jti-far', Number.MAX_SAFE_INTEGER, 9_999_999_999),
        false,
      )
    })
  })
}
