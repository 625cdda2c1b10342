import { checkUrl } from '../api/connection.ts'
import {
  type Profile,
  type ProfilesFile,
  profilesPath,
  readProfilesFile,
  writeProfilesFile,
} from '../api/profiles.ts'
import { EXIT, UsageError } from '../cli-errors.ts'
import { printJson, printTable } from '../cli-io.ts'
import { localCommand } from '../local-command.ts'

/*
 * The profiles file that every command calling the API reads (--profile, CLOUDPARTNER_PROFILE, or
 * its default), written by commands instead of by hand: checked as it is read, readable by its
 * owner only, and never holding a secret given on the command line (which `ps` and the shell's
 * history would show): the secret stays in an environment variable that the profile names.
 */
const FILE_HELP = [
  'The file: $CLOUDPARTNER_PROFILES, else $XDG_CONFIG_HOME/cloudpartner/profiles.json, else',
  '~/.config/cloudpartner/profiles.json.',
]

export const profilesAddCommand = localCommand({
  name: 'profiles add',
  usage: '<name> [options]',
  description: [
    'Saves a named set of connection settings in the profiles file, for --profile <name> (or',
    'CLOUDPARTNER_PROFILE). Flags and environment variables still win over a profile. The first',
    'profile added becomes the default: the one used when none is named.',
    '',
    'The client secret is never taken as a flag: name the environment variable that holds it.',
  ],
  options: {
    endpoint: { type: 'string', complete: 'text' },
    authority: { type: 'string', complete: 'text' },
    tenant: { type: 'string', complete: 'text' },
    'client-id': { type: 'string', complete: 'text' },
    'client-secret-env': { type: 'string', complete: 'text' },
    'token-endpoint-version': { type: 'string', complete: ['v1', 'v2'] },
    'api-version': { type: 'string', complete: 'text' },
    default: { type: 'boolean' },
    force: { type: 'boolean' },
  },
  optionsHelp: [
    '  --endpoint <url>                Base URL of the API.',
    '  --authority <url>               Base URL of the token service.',
    '  --tenant <id>                   Directory (tenant) id.',
    '  --client-id <id>                Application (client) id.',
    '  --client-secret-env <name>      The environment variable that holds the client secret.',
    '  --token-endpoint-version <v>    v2 (scope, the default) or v1 (resource) token requests.',
    '  --api-version <version>         api-version of the calls.',
    '  --default                       Make it the default profile.',
    '  --force                         Replace a profile of that name.',
  ],
  settings: [],
  epilogue: FILE_HELP,
  positionals: { min: 1, max: 1, names: 'the profile name', complete: ['profile'] },
  async run({ io, values, positionals }) {
    const name = checkName(positionals[0] as string)
    const version = values['token-endpoint-version']
    if (version !== undefined && version !== 'v1' && version !== 'v2') {
      throw new UsageError(`profiles add: --token-endpoint-version must be v1 or v2, not '${version}'`)
    }
    const given: Record<keyof Profile, string | undefined> = {
      endpoint: values.endpoint === undefined ? undefined : checkUrl('endpoint', values.endpoint),
      authority: values.authority === undefined ? undefined : checkUrl('authority', values.authority),
      tenantId: values.tenant,
      clientId: values['client-id'],
      clientSecret: undefined,
      clientSecretEnv: values['client-secret-env'],
      tokenEndpointVersion: version,
      apiVersion: values['api-version'],
    }
    const profile = Object.fromEntries(
      Object.entries(given).filter(([, value]) => value !== undefined && value !== ''),
    ) as Profile
    const path = profilesPath(io.env)
    const file = readProfilesFile(path) ?? { profiles: {} }
    const exists = Object.hasOwn(file.profiles, name)
    if (exists && values.force !== true) {
      throw new UsageError(`profiles add: there is a profile '${name}' in ${path}; --force replaces it`)
    }
    const makeDefault = values.default === true || file.default === undefined
    writeProfilesFile(path, {
      ...(makeDefault ? { default: name } : file.default === undefined ? {} : { default: file.default }),
      profiles: { ...file.profiles, [name]: profile },
    })
    io.out(
      `${exists ? 'Replaced' : 'Added'} profile '${name}' in ${path}${makeDefault ? '; it is the default' : ''}.\n`,
    )
    return EXIT.ok
  },
})

export const profilesListCommand = localCommand({
  name: 'profiles list',
  usage: '[options]',
  description: ['Lists the profiles of the profiles file (never a secret), the default marked with *.'],
  options: { json: { type: 'boolean' } },
  optionsHelp: ['  --json                          Print {path, default, profiles}, secrets left out.'],
  settings: [],
  epilogue: FILE_HELP,
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values }) {
    const path = profilesPath(io.env)
    const file = readProfilesFile(path) ?? { profiles: {} }
    const profiles: Record<string, Profile> = Object.fromEntries(
      Object.entries(file.profiles).map(([name, profile]) => [
        name,
        profile.clientSecret === undefined ? profile : { ...profile, clientSecret: '(hidden)' },
      ]),
    )
    if (values.json === true) {
      printJson(io, { path, default: file.default ?? null, profiles })
      return EXIT.ok
    }
    if (Object.keys(profiles).length === 0) {
      io.out(`No profiles in ${path}; add one with: cloudpartner profiles add <name> --endpoint <url> …\n`)
      return EXIT.ok
    }
    printTable(
      io,
      ['', 'NAME', 'ENDPOINT', 'TENANT', 'CLIENT ID', 'SECRET'],
      Object.entries(profiles).map(([name, profile]) => [
        name === file.default ? '*' : '',
        name,
        profile.endpoint ?? '',
        profile.tenantId ?? '',
        profile.clientId ?? '',
        profile.clientSecretEnv === undefined
          ? profile.clientSecret === undefined
            ? ''
            : 'in the file'
          : `$${profile.clientSecretEnv}`,
      ]),
    )
    return EXIT.ok
  },
})

export const profilesUseCommand = localCommand({
  name: 'profiles use',
  usage: '<name>',
  description: [
    'Makes a profile the default: the one used when neither --profile nor CLOUDPARTNER_PROFILE names one.',
  ],
  options: {},
  optionsHelp: [],
  settings: [],
  epilogue: FILE_HELP,
  positionals: { min: 1, max: 1, names: 'the profile name', complete: ['profile'] },
  async run({ io, positionals }) {
    const name = positionals[0] as string
    const { path, file } = existing(io.env, name)
    writeProfilesFile(path, { ...file, default: name })
    io.out(`Profile '${name}' is the default.\n`)
    return EXIT.ok
  },
})

export const profilesRemoveCommand = localCommand({
  name: 'profiles remove',
  usage: '<name>',
  description: [
    'Removes a profile from the profiles file; if it was the default, there is no default any more.',
  ],
  options: {},
  optionsHelp: [],
  settings: [],
  epilogue: FILE_HELP,
  positionals: { min: 1, max: 1, names: 'the profile name', complete: ['profile'] },
  async run({ io, positionals }) {
    const name = positionals[0] as string
    const { path, file } = existing(io.env, name)
    const { [name]: _removed, ...profiles } = file.profiles
    const { default: current, ...rest } = file
    writeProfilesFile(path, { ...rest, ...(current === name ? {} : { default: current }), profiles })
    io.out(`Removed profile '${name}'${current === name ? '; there is no default profile now' : ''}.\n`)
    return EXIT.ok
  },
})

/** The file and its profile of that name, or a usage error that lists those there are. */
function existing(env: NodeJS.ProcessEnv, name: string): { path: string; file: ProfilesFile } {
  const path = profilesPath(env)
  const file = readProfilesFile(path)
  if (file === undefined) throw new UsageError(`no profile '${name}': there is no profiles file ${path}`)
  if (!Object.hasOwn(file.profiles, name)) {
    const known = Object.keys(file.profiles).join(', ') || 'none'
    throw new UsageError(`no profile '${name}' in ${path} (profiles: ${known})`)
  }
  return { path, file }
}

/** Names are typed on command lines and completed by shells: letters, digits, dot, dash, underscore. */
function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(
      `profiles add: a profile name is 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit; not '${name}'`,
    )
  }
  return name
}
