import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Config, ConfigError, type ConfigKey } from '../config.ts'
import { caFiles } from './ca-directory.ts'
import { MICROSOFT_HOSTS } from './microsoft-hosts.ts'

/** The certificate and key that HTTPS and the proxy serve, read and checked once at start-up. */
export interface TlsCredentials {
  /** PEM text: the certificate, possibly followed by its chain. */
  readonly cert: string
  readonly key: string
  readonly certPath: string
  /** The subject alternative names, for the start-up message. */
  readonly names: string
  readonly validTo: Date
}

type TlsConfig = Pick<Config, 'httpsPort' | 'proxy' | 'tlsCert' | 'tlsKey' | 'caDir'>

/**
 * Reads the server certificate when HTTPS or the proxy is on: --tls-cert and --tls-key, or else the
 * one `cloudpartner cert` wrote to --ca-dir. Every problem is a ConfigError naming the setting to fix
 * (exit code 2), found before anything listens, rather than a TLS failure at a client's first call.
 */
export function loadTlsCredentials(config: TlsConfig, now: Date): TlsCredentials | undefined {
  if (config.httpsPort === undefined && !config.proxy) return undefined
  const explicit = config.tlsCert !== undefined && config.tlsKey !== undefined
  const files = caFiles(config.caDir)
  const certPath = resolve(config.tlsCert ?? files.serverCertificate)
  const keyPath = resolve(config.tlsKey ?? files.serverKey)
  const readSetting = (setting: ConfigKey, path: string): string => {
    try {
      return readFileSync(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (!explicit && code === 'ENOENT') {
        throw new ConfigError(
          'caDir',
          `no server certificate in ${files.dir} (${path} is missing): create one with \`npx cloudpartner cert\` (same --ca-dir or --data-dir), or give --tls-cert and --tls-key`,
        )
      }
      throw new ConfigError(
        explicit ? setting : 'caDir',
        `cannot read ${path} (${code ?? (error as Error).message})`,
      )
    }
  }
  const cert = readSetting('tlsCert', certPath)
  const key = readSetting('tlsKey', keyPath)
  const certSetting: ConfigKey = explicit ? 'tlsCert' : 'caDir'
  const keySetting: ConfigKey = explicit ? 'tlsKey' : 'caDir'

  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch {
    throw new ConfigError(certSetting, `${certPath} is not a PEM certificate`)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new ConfigError(
      keySetting,
      `${keyPath} is not a PEM private key (an encrypted key is not supported)`,
    )
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw new ConfigError(keySetting, `${keyPath} is not the private key of ${certPath}`)
  const validTo = new Date(certificate.validTo)
  if (validTo.getTime() <= now.getTime())
    throw new ConfigError(
      certSetting,
      `${certPath} expired on ${certificate.validTo}${explicit ? '' : ': run `npx cloudpartner cert` again'}`,
    )
  if (config.proxy) {
    const missing = MICROSOFT_HOSTS.filter((host) => certificate.checkHost(host) === undefined)
    if (missing.length > 0)
      throw new ConfigError(
        certSetting,
        `${certPath} does not name ${missing.join(', ')}; proxy mode answers for those names with it (\`npx cloudpartner cert\` makes a certificate that names them)`,
      )
  }
  return { cert, key, certPath, names: certificate.subjectAltName ?? certificate.subject, validTo }
}
