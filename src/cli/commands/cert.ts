import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { loadConfig } from '../../config.ts'
import { writeCertificates } from '../../tls/ca-directory.ts'
import { shellQuote, trustInstructions } from '../../tls/trust-instructions.ts'
import { EXIT, OperationError, UsageError } from '../cli-errors.ts'
import { printJson } from '../cli-io.ts'
import { localCommand } from '../local-command.ts'

const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

export const certCommand = localCommand({
  name: 'cert',
  usage: '[options]',
  description: [
    'Creates a local certificate authority (once: later runs keep it, so clients that trust it go on',
    'trusting) and issues a new server certificate from it for cloudpartner.azure.com,',
    'login.microsoftonline.com, login.microsoft.com, localhost, 127.0.0.1 and ::1. `serve --https-port`',
    'and `serve --proxy` use that certificate unless given --tls-cert and --tls-key. Then it prints',
    'how to make curl, Python, Node, Go or the system trust the CA.',
  ],
  options: { name: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  optionsHelp: [
    '  --name <host>                   Another DNS name or IP address for the server certificate;',
    '                                  may be repeated.',
    '  --json                          Print the file paths and names as JSON.',
  ],
  settings: ['caDir', 'dataDir'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, values, flags }) {
    const extraNames = values.name ?? []
    for (const name of extraNames) {
      if (isIP(name) === 0 && !DNS_NAME.test(name))
        throw new UsageError(`cert: '${name}' is neither a DNS name nor an IP address`)
    }
    const config = loadConfig(io.env, flags)
    let outcome: Awaited<ReturnType<typeof writeCertificates>>
    try {
      outcome = await writeCertificates(config.caDir, { extraNames, now: new Date() })
    } catch (error) {
      throw new OperationError(
        `Cannot write certificates to ${resolve(config.caDir)}: ${(error as Error).message}`,
      )
    }
    if (values.json) {
      const { files, createdCa, names } = outcome
      printJson(io, { ...files, createdCa, names })
      return EXIT.ok
    }
    const isDefault = resolve(config.caDir) === resolve(loadConfig({}).caDir)
    io.out(`${trustInstructions(outcome, isDefault ? '' : `--ca-dir ${shellQuote(outcome.files.dir)}`)}\n`)
    return EXIT.ok
  },
})
