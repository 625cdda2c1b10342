/**
 * The `jti` of every client assertion the token service accepted, kept until the assertion expires:
 * an assertion authenticates once. In the database, so that replicas share it.
 */
export interface AssertionReplayStore {
  /**
   * Records the assertion's jti for the client; answers false, recording nothing, when a live entry
   * already holds it (a replay). Entries past their expiry (`nowSeconds`) are forgotten.
   */
  spendAssertion(
    clientId: string,
    jti: string,
    expiresAtSeconds: number,
    nowSeconds: number,
  ): Promise<boolean>
}
