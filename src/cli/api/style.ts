/**
 * ANSI colour for human output, only on a terminal and only when NO_COLOR is unset
 * (https://no-color.org): a pipe or a file gets plain text.
 */
export interface Style {
  readonly enabled: boolean
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

export function createStyle(isTty: boolean, env: NodeJS.ProcessEnv): Style {
  const enabled = isTty && (env.NO_COLOR === undefined || env.NO_COLOR === '')
  const sgr = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  }
}

/** The width a string takes on screen: escape sequences take none. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '').length
}
