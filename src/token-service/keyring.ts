import { createHash, type webcrypto } from 'node:crypto'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { AuditStore } from '../audit/audit.store.ts'
import type { AuditRecorder } from '../audit/record-change.ts'
import { seal, unseal } from '../auth/sealed-box.ts'
import type { Clock } from '../clock.ts'
import { formatTimestamp } from '../timestamps.ts'
import type { SigningKeyStore, StoredSigningKey } from './signing-keys.store.ts'

/** Retired keys stay published this long: longer than any token they can have signed lives. */
const RETIRED_KEY_GRACE_MS = (86_400 + 600) * 1000
/** How often a process re-reads the keys, to pick up a rotation made elsewhere (CLI, other replicas). */
const RELOAD_INTERVAL_MS = 60_000
/** An unknown kid triggers a re-read at most this often, so forged kids cannot hammer the store. */
const UNKNOWN_KID_RELOAD_MS = 5_000

export interface SigningKey {
  readonly kid: string
  readonly privateKey: webcrypto.CryptoKey
}

interface LoadedKeys {
  readonly active: SigningKey
  readonly publicJwks: readonly JWK[]
  readonly verificationKeys: ReadonlyMap<string, webcrypto.CryptoKey>
  readonly loadedAt: number
}

/** A signing key without its private half, as `cloudpartner keys list` shows it. */
export interface SigningKeySummary {
  readonly kid: string
  readonly createdTime: string
  /** When a newer key replaced it; undefined for the active key. */
  readonly retiredTime?: string
}

/**
 * The token service's RS256 keys: persisted, private halves sealed under the master key, and
 * rotated by adding a new active key while the old ones keep verifying until their tokens expire.
 */
export interface Keyring {
  /**
   * Loads the keys, creating the first one on an empty store; once loaded, nothing more (they are
   * read again on their own interval): the server loads them inside the bootstrap's audit context,
   * and the app it then builds must not read, unseal and import them a second time.
   */
  load(): Promise<void>
  activeKey(): Promise<SigningKey>
  /** The public keys for the JWKS document, newest first. */
  publicJwks(): Promise<readonly JWK[]>
  /** The key a token names; an unknown kid makes it read the keys again (at most every few seconds). */
  verificationKey(kid: string): Promise<webcrypto.CryptoKey | undefined>
  /** Makes a new key active; tokens signed by the previous keys keep verifying. Answers the new kid. */
  rotate(): Promise<string>
  /** Every key, newest first, without its private half. */
  list(): Promise<SigningKeySummary[]>
}

export function createKeyring(deps: {
  store: SigningKeyStore
  /** Asked for only when a private half is sealed or opened: listing keys needs none. */
  masterKey: () => Buffer
  clock: Clock
  /** One unit of work: a rotation commits with its audit record. */
  transaction<T>(work: (set: { signingKeys: SigningKeyStore; audit: AuditStore }) => Promise<T>): Promise<T>
  audit: AuditRecorder
}): Keyring {
  let loaded: LoadedKeys | undefined
  let lastUnknownKidReload = 0

  async function load(): Promise<LoadedKeys> {
    let stored = await deps.store.listSigningKeys()
    if (!stored.some((key) => key.retiredTime === undefined)) {
      await rotate()
      stored = await deps.store.listSigningKeys()
    }
    const activeStored = stored.find((key) => key.retiredTime === undefined) as StoredSigningKey
    const privateJwk = JSON.parse(unseal(deps.masterKey(), activeStored.sealedPrivateJwk)) as JWK
    const active = {
      kid: activeStored.kid,
      privateKey: (await importJWK(privateJwk, 'RS256')) as webcrypto.CryptoKey,
    }
    const publicJwks = stored.map((key) => JSON.parse(key.publicJwk) as JWK)
    const verificationKeys = new Map<string, webcrypto.CryptoKey>()
    for (const jwk of publicJwks)
      verificationKeys.set(jwk.kid as string, (await importJWK(jwk, 'RS256')) as webcrypto.CryptoKey)
    loaded = { active, publicJwks, verificationKeys, loadedAt: deps.clock.now().getTime() }
    return loaded
  }

  async function current(): Promise<LoadedKeys> {
    if (!loaded || deps.clock.now().getTime() - loaded.loadedAt > RELOAD_INTERVAL_MS) return load()
    return loaded
  }

  async function rotate(): Promise<string> {
    // The CLI rotates with its own master key. Sealed under another key than the server's, the new
    // key would leave the server unable to sign: refuse before anything is written.
    const currentActive = (await deps.store.listSigningKeys()).find((key) => key.retiredTime === undefined)
    if (currentActive) unseal(deps.masterKey(), currentActive.sealedPrivateJwk)
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    })
    const publicJwk = await exportJWK(publicKey)
    const kid = sha1Thumbprint(publicJwk)
    const published: JWK = {
      kty: 'RSA',
      use: 'sig',
      kid,
      x5t: kid,
      n: publicJwk.n,
      e: publicJwk.e,
      alg: 'RS256',
    }
    const now = deps.clock.now()
    const sealedPrivateJwk = seal(deps.masterKey(), JSON.stringify({ ...(await exportJWK(privateKey)), kid }))
    await deps.transaction(async (set) => {
      await set.signingKeys.rotateTo(
        { kid, publicJwk: JSON.stringify(published), sealedPrivateJwk, createdTime: formatTimestamp(now) },
        formatTimestamp(now),
        formatTimestamp(new Date(now.getTime() - RETIRED_KEY_GRACE_MS)),
      )
      // The key's id only: its private half never leaves the sealed column.
      await deps.audit.record(set.audit, {
        action: 'signing-key.rotate',
        subjectId: kid,
        outcome: currentActive ? 'rotated' : 'created',
        details: currentActive ? { retiredKid: currentActive.kid } : {},
      })
    })
    loaded = undefined
    return kid
  }

  return {
    load: async () => {
      if (!loaded) await load()
    },
    activeKey: async () => (await current()).active,
    publicJwks: async () => (await current()).publicJwks,
    verificationKey: async (kid) => {
      const keys = await current()
      const key = keys.verificationKeys.get(kid)
      if (key) return key
      const now = deps.clock.now().getTime()
      if (now - lastUnknownKidReload < UNKNOWN_KID_RELOAD_MS) return undefined
      lastUnknownKidReload = now
      return (await load()).verificationKeys.get(kid)
    },
    rotate,
    list: async () =>
      (await deps.store.listSigningKeys()).map((key) => ({
        kid: key.kid,
        createdTime: key.createdTime,
        ...(key.retiredTime === undefined ? {} : { retiredTime: key.retiredTime }),
      })),
  }
}

/**
 * Azure AD's kid is the base64url SHA-1 thumbprint of the key's certificate. We have no certificate:
 * ours is the SHA-1 of the RFC 7638 canonical JWK, which has the same length and alphabet.
 */
function sha1Thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })
  return createHash('sha1').update(canonical).digest('base64url')
}
