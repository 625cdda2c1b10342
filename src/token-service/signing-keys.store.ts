/** A signing key as stored: the public JWK in clear, the private JWK sealed under the master key. */
export interface StoredSigningKey {
  readonly kid: string
  readonly publicJwk: string
  readonly sealedPrivateJwk: string
  readonly createdTime: string
  /** When a newer key replaced it; undefined for the active key. */
  readonly retiredTime?: string
}

export interface SigningKeyStore {
  /** All keys, newest first. */
  listSigningKeys(): Promise<StoredSigningKey[]>
  /**
   * Makes `key` the active key: retires the current one at `now` and deletes keys retired before
   * `pruneRetiredBefore`, whose tokens have all expired. One transaction.
   */
  rotateTo(key: StoredSigningKey, now: string, pruneRetiredBefore: string): Promise<void>
}
