import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
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
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`cannot read the profiles file ${path}: ${(error as Error).message}`)
    }
    if (name !== undefined) throw new UsageError(`no profile '${name}': there is no profiles file ${path}`)
    return undefined
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
  const chosen = name ?? parsed.default
  if (chosen === undefined) return undefined
  const profile = parsed.profiles[chosen]
  if (profile === undefined || !Object.hasOwn(parsed.profiles, chosen)) {
    const known = Object.keys(parsed.profiles).join(', ') || 'none'
    throw new UsageError(`no profile '${chosen}' in ${path} (profiles: ${known})`)
  }
  return {
    name: chosen,
    profile,
    path,
    secretExposed: profile.clientSecret !== undefined && (statSync(path).mode & 0o077) !== 0,
  }
}
