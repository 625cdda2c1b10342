import { ConfigSchema } from '../config.schema.ts'
import type { ConfigKey, Flags } from '../config.ts'
import { SETTINGS } from '../config.ts'
import type { OptionSpec, ValueCompletion } from './command.ts'

/**
 * The settings of src/config.ts as command-line flags: one place turns SETTINGS into `parseArgs`
 * options and help lines, so a new setting is a new flag of `serve` without touching the CLI.
 */
export function settingOptions(keys: readonly ConfigKey[]): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {}
  for (const key of keys) {
    const { flag, kind } = SETTINGS[key]
    if (flag === undefined) continue
    options[flag] = kind === 'boolean' ? { type: 'boolean' } : { type: 'string', complete: completionOf(key) }
  }
  return options
}

/** Paths complete as paths; a setting with a fixed list of values (its schema's enum) offers that list. */
const PATH_SETTINGS: Partial<Record<ConfigKey, ValueCompletion>> = {
  dataDir: 'directory',
  caDir: 'directory',
  tlsCert: 'file',
  tlsKey: 'file',
}

function completionOf(key: ConfigKey): ValueCompletion {
  const path = PATH_SETTINGS[key]
  if (path !== undefined) return path
  const schema = ConfigSchema.properties[key] as { enum?: readonly unknown[] }
  return schema.enum === undefined ? 'text' : schema.enum.map(String)
}

/** Every setting that has a flag (the master key is environment-only: it must not show in `ps`). */
export const ALL_SETTING_KEYS = Object.keys(SETTINGS) as ConfigKey[]

/** The settings flags among parsed values, for loadConfig (which adds the environment). */
export function configFlags(values: Readonly<Record<string, unknown>>): Flags {
  const flags: Record<string, string | boolean> = {}
  for (const { flag } of Object.values(SETTINGS)) {
    const value = flag === undefined ? undefined : values[flag]
    if (flag !== undefined && (typeof value === 'string' || typeof value === 'boolean')) flags[flag] = value
  }
  return flags
}

/** Help lines for settings: flag and description, then default and environment variable beneath. */
export function settingsHelp(keys: readonly ConfigKey[]): string[] {
  return keys.flatMap((key) => {
    const { flag, env, kind } = SETTINGS[key]
    const schema = ConfigSchema.properties[key] as { description?: string; default?: unknown }
    const spelled =
      flag === undefined ? '(environment only)' : kind === 'boolean' ? `--${flag}` : `--${flag} <value>`
    const hasDefault =
      schema.default !== undefined && !(Array.isArray(schema.default) && schema.default.length === 0)
    return [
      `  ${spelled.padEnd(32)}${schema.description ?? ''}`,
      `  ${''.padEnd(32)}${hasDefault ? `Default: ${String(schema.default)}. ` : ''}Env: ${env}`,
    ]
  })
}
