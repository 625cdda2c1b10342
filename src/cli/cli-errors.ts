/**
 * The exit codes scripts can rely on, as `cloudpartner --help` documents them.
 * 0: success. 1: the operation failed. 2: the command line or the configuration is wrong.
 */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 })

/** The command line is wrong: unknown command or option, missing argument, bad value. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The operation was understood but could not be done: not found, already exists, bad file. Exit code 1. */
export class OperationError extends Error {
  /** Further lines shown under the message, e.g. one per invalid file. */
  readonly details: readonly string[]
  constructor(message: string, details: readonly string[] = []) {
    super(message)
    this.name = 'OperationError'
    this.details = details
  }
}
