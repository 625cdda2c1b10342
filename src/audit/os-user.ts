import { userInfo } from 'node:os'

/**
 * The operating-system user of this process, for the records of the CLI and the bootstrap; none
 * where the system has no name for it (a container running as an unnamed uid).
 */
export function osUser(): { osUser?: string } {
  try {
    return { osUser: userInfo().username }
  } catch {
    return {}
  }
}
