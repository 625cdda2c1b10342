import { createPrivateKey, X509Certificate } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { PemPair } from './certificate-authority.ts'
import { LOCAL_NAMES, MICROSOFT_HOSTS } from './microsoft-hosts.ts'

/**
 * The files of a CA directory (--ca-dir): the CA that clients are told to trust, and the server
 * certificate it issued for the Microsoft host names and loopback, which `serve` uses by default.
 * Private keys are mode 0600 and the directory 0700: whoever reads the CA key can impersonate any
 * site to a machine that trusts the CA.
 */
export interface CaFiles {
  readonly dir: string
  readonly caCertificate: string
  readonly caKey: string
  readonly serverCertificate: string
  readonly serverKey: string
}

export function caFiles(caDir: string): CaFiles {
  const dir = resolve(caDir)
  return {
    dir,
    caCertificate: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    serverCertificate: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
  }
}

export interface CertificatesOutcome {
  readonly files: CaFiles
  /** False when an existing CA was kept (clients that trust it go on trusting the new certificate). */
  readonly createdCa: boolean
  /** The names of the new server certificate. */
  readonly names: readonly string[]
}

/** The names of a server certificate: the Microsoft hosts, loopback, then any extra names, once each. */
export function serverNames(extraNames: readonly string[] = []): string[] {
  return [...new Set([...MICROSOFT_HOSTS, ...LOCAL_NAMES, ...extraNames.map((name) => name.toLowerCase())])]
}

/**
 * Makes sure the directory holds a CA (keeping an existing one) and issues a new server certificate
 * from it. Each file is written whole and renamed into place, so a reader never sees half a key.
 */
export async function writeCertificates(
  caDir: string,
  options: { readonly extraNames?: readonly string[]; readonly now: Date },
): Promise<CertificatesOutcome> {
  // node-forge is loaded here only: `serve` reads certificates with node:crypto alone.
  const { createCertificateAuthority, issueServerCertificate } = await import('./certificate-authority.ts')
  const files = caFiles(caDir)
  await mkdir(files.dir, { recursive: true, mode: 0o700 })
  let ca = await readCa(files, options.now)
  const createdCa = ca === undefined
  if (ca === undefined) {
    ca = createCertificateAuthority(options.now)
    await writeAtomically(files.caKey, ca.privateKey, 0o600)
    await writeAtomically(files.caCertificate, ca.certificate, 0o644)
  } else {
    // Tighten a key that was copied in with looser permissions.
    await chmod(files.caKey, 0o600)
  }
  const names = serverNames(options.extraNames)
  const server = issueServerCertificate(ca, names, options.now)
  await writeAtomically(files.serverKey, server.privateKey, 0o600)
  await writeAtomically(files.serverCertificate, server.certificate, 0o644)
  return { files, createdCa, names }
}

async function readCa(files: CaFiles, now: Date): Promise<PemPair | undefined> {
  const [certificate, privateKey] = await Promise.all([
    readIfExists(files.caCertificate),
    readIfExists(files.caKey),
  ])
  if (certificate === undefined && privateKey === undefined) return undefined
  if (certificate === undefined || privateKey === undefined) {
    const [present, missing] =
      certificate === undefined ? [files.caKey, files.caCertificate] : [files.caCertificate, files.caKey]
    throw new Error(
      `${present} exists but ${missing} does not: restore it, or remove ${files.dir} to create a new CA (clients must then trust the new one)`,
    )
  }
  const parsed = new X509Certificate(certificate)
  if (!parsed.checkPrivateKey(createPrivateKey(privateKey)))
    throw new Error(`${files.caKey} is not the key of ${files.caCertificate}`)
  if (new Date(parsed.validTo).getTime() < now.getTime())
    throw new Error(
      `the CA in ${files.dir} expired on ${parsed.validTo}: remove the directory to create a new one`,
    )
  return { certificate, privateKey }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  await rm(temporary, { force: true })
  // `wx`: a file someone else created here in the meantime is an error, not something to write into.
  await writeFile(temporary, text, { mode, flag: 'wx' })
  await chmod(temporary, mode)
  await rename(temporary, path)
}
