import type { CertificatesOutcome } from './ca-directory.ts'

/**
 * What `cloudpartner cert` prints: where the files are, how to serve with them, and how each kind of
 * client is told to trust the CA. The per-process ways come first: they change nothing on the machine.
 */
export function trustInstructions(outcome: CertificatesOutcome, storeFlags: string): string {
  const { files } = outcome
  const ca = shellQuote(files.caCertificate)
  const caDirFlag = storeFlags === '' ? '' : ` ${storeFlags}`
  return [
    outcome.createdCa
      ? `Created a local certificate authority in ${files.dir}.`
      : `Kept the certificate authority in ${files.dir} (whoever trusts it needs nothing new).`,
    `Issued a server certificate for ${outcome.names.join(', ')}.`,
    '',
    `  CA certificate (what clients trust)  ${files.caCertificate}`,
    `  CA key (keep it private, mode 0600)  ${files.caKey}`,
    `  Server certificate and key           ${files.serverCertificate}`,
    `                                       ${files.serverKey}`,
    '',
    'Serve with it (both use the server certificate of this directory):',
    `  npx cloudpartner serve --https-port 8443${caDirFlag}   # HTTPS beside HTTP on 8080`,
    `  npx cloudpartner serve --proxy${caDirFlag}             # then HTTPS_PROXY=http://127.0.0.1:8080`,
    '',
    'Trust the CA in the client process only (nothing on this machine changes):',
    `  curl                                  curl --cacert ${ca} …   or   export CURL_CA_BUNDLE=${ca}`,
    `  Python requests, MSAL                 export REQUESTS_CA_BUNDLE=${ca}`,
    `  Python ssl/urllib, libcloud, OpenSSL  export SSL_CERT_FILE=${ca}`,
    `  Node.js (fetch, https)                export NODE_EXTRA_CA_CERTS=${ca}`,
    `  Go (net/http)                         export SSL_CERT_FILE=${ca}`,
    'CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE and SSL_CERT_FILE replace the default CA list of the process;',
    'NODE_EXTRA_CA_CERTS adds to it. Node honours HTTPS_PROXY only with NODE_USE_ENV_PROXY=1.',
    '',
    'Or trust it system-wide (this changes the machine; undo by removing the file, then the same command):',
    `  Debian, Ubuntu  sudo cp ${ca} /usr/local/share/ca-certificates/cloudpartner-dev-ca.crt && sudo update-ca-certificates`,
    `  Fedora, RHEL    sudo cp ${ca} /etc/pki/ca-trust/source/anchors/cloudpartner-dev-ca.pem && sudo update-ca-trust`,
    `  macOS           sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`,
    "curl, Debian's python3-requests, Python's ssl and Go read the system store; Node reads it only",
    'with NODE_OPTIONS=--use-system-ca.',
    '',
    'To run an unmodified client against this server under the real host names, without changing this',
    'machine: scripts/netns-run.sh (see docs/unmodified-clients.md).',
  ].join('\n')
}

/** A path as a POSIX shell word: bare when it is safe, single-quoted otherwise. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
