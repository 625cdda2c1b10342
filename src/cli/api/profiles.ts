import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { type Static, Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { UsageError } from '../cli-errors.ts'

/** One named set of connection settings; every field optional, flags and environment win. */
export const ProfileSchema = Type.Object(
  {
    endpoint: Type.Optional(Type.String({ description: 'Base URL of the API.' })),
    authority: Type.Optional(Type.String({ description: 'Base URL of the token service.' })),
    tenantId: Type.Optional(Type.String({ description: 'Directory (tenant) id.' })),
    clientId: Type.Optional(Type.String({ description: 'Application (client) id.' })),
    clientSecret: Type.Optional(
      Type.String({ description: 'Client secret; prefer clientSecretEnv, or keep the file private.' }),
    ),
    clientSecretEnv: Type.Optional(
      Type.String({ description: 'Name of the environment variable that holds the client secret.' }),
    ),
    tokenEndpointVersion: Type.Optional(
      Type.Union([Type.Literal('v1'), Type.Literal('v2')], {
        description: 'v2 (scope, the default) or v1 (resource) token requests.',
      }),
    ),
    apiVersion: Type.Optional(Type.String({ description: 'api-version of the calls.' })),
  },
  { $id: 'CliProfile', additionalProperties: false, description: 'Connection settings of a profile.' },
)

export const ProfilesFileSchema = Type.Object(
  {
    default: Type.Optional(Type.String({ description: 'The profile used when none is named.' })),
    profiles: Type.Record(Type.String(), ProfileSchema, { description: 'Profiles by name.' }),
  },
  { $id: 'CliProfilesFile', additionalProperties: false, description: 'The CLI profiles file.' },
)

export type Profile = Static<typeof ProfileSchema>
export type ProfilesFile = Static<typeof ProfilesFileSchema>

const checkFile = Compile(ProfilesFileSchema)

/** `$CLOUDPARTNER_PROFILES`, else `$XDG_CONFIG_HOME/cloudpartner/profiles.json`, else `~/.config/…`. */
export function profilesPath(env: NodeJS.ProcessEnv): string {
  if (env.CLOUDPARTNER_PROFILES) return env.CLOUDPARTNER_PROFILES
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(configHome, 'cloudpartner', 'profiles.json')
}

export interface LoadedProfile {
  readonly name: string
  readonly profile: Profile
  readonly path: string
  /** Group or others may read the file, which holds a secret. */
  readonly secretExposed: boolean
}

/**
 * The profile named (by --profile or CLOUDPARTNER_PROFILE), or the file's default one. A named
 * profile that does not exist is a usage error; no file and no name is no profile.
 */
export function loadProfile(env: NodeJS.ProcessEnv, name: string | undefined): LoadedProfile | undefined {
  const path = profilesPath(env)
  const file = readProfilesFile(path)
  if (file === undefined) {
    if (name !== undefined) throw new UsageError(`no profile '${name}': there is no profiles file ${path}`)
    return undefined
  }
  const chosen = name ?? file.default
  if (chosen === undefined) return undefined
  const profile = file.profiles[chosen]
  if (profile === undefined || !Object.hasOwn(file.profiles, chosen)) {
    const known = Object.keys(file.profiles).join(', ') || 'none'
    throw new UsageError(`no profile '${chosen}' in ${path} (profiles: ${known})`)
  }
  return {
    name: chosen,
    profile,
    path,
    secretExposed: profile.clientSecret !== undefined && (statSync(path).mode & 0o077) !== 0,
  }
}

/** The profiles file, checked; undefined when there is none. Anything unreadable is a usage error. */
export function readProfilesFile(path: string): ProfilesFile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UsageError(`cannot read the profiles file ${path}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`the profiles file ${path} is not JSON: ${(error as Error).message}`)
  }
  if (!checkFile.Check(parsed)) {
    const [first] = checkFile.Errors(parsed)
    const where = first?.instancePath ? ` at ${first.instancePath}` : ''
    throw new UsageError(
      `the profiles file ${path} is invalid${where}: ${first?.message ?? 'unexpected shape'}`,
    )
  }
  return parsed
}

/** The profile names of the file, for completion; none when it is missing or unreadable. */
export function profileNames(env: NodeJS.ProcessEnv): string[] {
  try {
    return Object.keys(readProfilesFile(profilesPath(env))?.profiles ?? {})
  } catch {
    return []
  }
}

/**
 * Writes the profiles file whole: to a temporary file beside it, then renamed over it, so that a
 * command reading it meanwhile sees the old file or the new one. Readable by its owner only (it
 * may hold a secret), in a directory created for its owner only.
 */
export function writeProfilesFile(path: string, file: ProfilesFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
  renameSync(temporary, path)
}
