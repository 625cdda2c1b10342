/**
 * What a command may know and do of the terminal it runs in: whether its streams are terminals,
 * how wide stderr is, Ctrl-C, and one question answered on stdin. main.ts gives commands the
 * process's; anything else (tests running the CLI in-process) gets NO_TERMINAL: no colour, no
 * progress bar, no prompt.
 */
export interface Terminal {
  readonly stdoutIsTty: boolean
  readonly stderrIsTty: boolean
  readonly stdinIsTty: boolean
  /**
   * The output streams, for util.styleText to decide on colour (style.ts); absent: no colour.
   * Commands write through CliIo, never here.
   */
  readonly colourStreams?: { readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WriteStream }
  /** Width of stderr, where progress is drawn. */
  columns(): number
  /** Calls the handler on each SIGINT (Ctrl-C) until the returned function is called. */
  onInterrupt(handler: () => void): () => void
  /**
   * Writes the question on stderr and reads one line from stdin. Undefined when Ctrl-C is pressed
   * instead, stdin ends, or the signal aborts.
   */
  ask(question: string, signal?: AbortSignal): Promise<string | undefined>
}

export const NO_TERMINAL: Terminal = {
  stdoutIsTty: false,
  stderrIsTty: false,
  stdinIsTty: false,
  columns: () => 80,
  onInterrupt: () => () => undefined,
  ask: async () => undefined,
}

export function processTerminal(): Terminal {
  return {
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    colourStreams: { stdout: process.stdout, stderr: process.stderr },
    columns: () => process.stderr.columns ?? 80,
    onInterrupt(handler) {
      process.on('SIGINT', handler)
      return () => {
        process.off('SIGINT', handler)
      }
    },
    async ask(question, signal) {
      const { createInterface } = await import('node:readline')
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
      return new Promise<string | undefined>((resolve) => {
        let settled = false
        const settle = (answer: string | undefined) => {
          if (settled) return
          settled = true
          signal?.removeEventListener('abort', onAbort)
          rl.close()
          // readline leaves stdin flowing after close: paused, it no longer holds the process open.
          process.stdin.pause()
          resolve(answer)
        }
        // Written once readline is closed: while it runs it redraws its line over what others write.
        const onAbort = () => {
          settle(undefined)
          process.stderr.write('\n')
        }
        // In raw mode Ctrl-C reaches readline, not the process: it means "no answer".
        rl.on('SIGINT', () => {
          settle(undefined)
          process.stderr.write('^C\n')
        })
        rl.on('close', () => settle(undefined))
        signal?.addEventListener('abort', onAbort, { once: true })
        rl.question(question, (answer) => settle(answer))
      })
    },
  }
}
