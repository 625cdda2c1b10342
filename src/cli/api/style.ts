import { styleText } from 'node:util'

/**
 * Colour for human output, through `util.styleText`, which decides for the stream it is given as
 * Node decides for its own output: colour on a terminal that has it, none when NO_COLOR or
 * NODE_DISABLE_COLORS is set or TERM is dumb, and FORCE_COLOR to have it anyway (even in a pipe).
 * Without a stream (a command run in-process, tests), plain text.
 */
export interface Style {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

type Format = Parameters<typeof styleText>[0]

export function createStyle(stream: NodeJS.WriteStream | undefined): Style {
  const style = (format: Format) => (text: string) =>
    stream === undefined ? text : styleText(format, text, { stream })
  return {
    bold: style('bold'),
    dim: style('dim'),
    red: style('red'),
    green: style('green'),
    yellow: style('yellow'),
    cyan: style('cyan'),
  }
}

/** The width a string takes on screen: escape sequences take none. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '').length
}
