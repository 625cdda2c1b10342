import { EXIT } from '../cli-errors.ts'

/**
 * The exit codes of the commands that call the API, beyond 0, 1 and 2 (cli-errors.ts), so that a
 * script can tell "fix the request" from "fix the credentials" from "try again later".
 */
export const API_EXIT = Object.freeze({
  ...EXIT,
  /** Under --wait: the operation ended failed or canceled. */
  operationFailed: 3,
  /** No token, or the API refused it (401) or the caller has no access to the publisher (403). */
  auth: 4,
  /** The service could not be reached, or answered 429/5xx on every attempt. */
  unavailable: 5,
  /** Ctrl-C: stopped waiting; the operation goes on. */
  interrupted: 130,
})

/** For `--help` texts. */
export const API_EXIT_HELP = [
  'Exit codes: 0 success; 1 the request failed (not found, conflict, invalid offer); 2 usage or',
  'configuration error; 3 the operation ended failed or canceled (--wait); 4 authentication failed or',
  'no access to the publisher; 5 the service is unreachable or unavailable (after retries);',
  '130 interrupted (Ctrl-C) while waiting, the operation goes on.',
]
