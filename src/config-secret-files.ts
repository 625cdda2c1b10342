import { readFileSync } from 'node:fs'

/**
 * Secrets from files, as container platforms hand them over (compose and Kubernetes secrets are
 * files under /run/secrets): CLOUDPARTNER_MASTER_KEY_FILE and CLOUDPARTNER_DATABASE_URL_FILE name a
 * file whose content (without its trailing newline) is the setting. A value in the environment
 * itself wins, as a flag wins over the environment; a file that cannot be read is an error that
 * names the variable, never the content.
 */
export const SECRET_FILE_VARIABLES = ['CLOUDPARTNER_MASTER_KEY', 'CLOUDPARTNER_DATABASE_URL'] as const

export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const sourced: NodeJS.ProcessEnv = { ...env }
  for (const name of SECRET_FILE_VARIABLES) {
    const path = env[`${name}_FILE`]
    if (path === undefined || path === '' || (env[name] ?? '') !== '') continue
    try {
      sourced[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new Error(
        `Cannot read ${name}_FILE (${path}): ${(error as NodeJS.ErrnoException).code ?? error}`,
        {
          cause: error,
        },
      )
    }
  }
  return sourced
}
