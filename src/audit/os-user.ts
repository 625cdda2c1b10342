import { userInfo } from 'node:os'

/**
 * The operating-system user of this process, for the records of the CLI and the bootstrap; undefined
 * where the system has no name for it (a container running as an unnamed uid).
 */
export function osUserName(): string | undefined {
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}
