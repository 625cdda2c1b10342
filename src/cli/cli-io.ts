import type { Terminal } from './terminal.ts'

/** What a command may touch of its process: output streams and the environment (for the config loader). */
export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
  /** The terminal, for colour, progress and prompts; absent means none (terminal.ts NO_TERMINAL). */
  readonly terminal?: Terminal
}

/** `--json` output: one document, pretty enough to read, stable enough to parse. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`)
}

/** Columns padded to the widest cell, for the `list` commands' human output. */
export function printTable(io: CliIo, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  for (const row of [header, ...rows]) {
    io.out(
      `${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    )
  }
}
