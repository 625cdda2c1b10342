import { loadConfig } from '../../config.ts'
import { EXIT } from '../cli-errors.ts'
import { localCommand } from '../local-command.ts'
import { ALL_SETTING_KEYS } from '../settings-flags.ts'

export const serveCommand = localCommand({
  name: 'serve',
  usage: '[options]',
  description: [
    'Starts the Cloud Partner Portal API server. On the first start of a new store in development',
    'mode it creates the well-known development principal and the sample publisher contoso, then',
    'prints ready-to-paste curl commands. SIGTERM or SIGINT (Ctrl-C) let in-flight requests finish,',
    'close the store and exit 0.',
    '',
    'Every setting is a flag or an environment variable; a flag wins. Boolean flags also take',
    'a --no- form (--no-production) to override the environment.',
  ],
  options: {},
  optionsHeading: 'Settings',
  optionsHelp: [],
  settings: ALL_SETTING_KEYS,
  epilogue: ['Binding a host other than loopback implies --production.'],
  positionals: { min: 0, max: 0, names: '' },
  async run({ io, flags }) {
    const config = loadConfig(io.env, flags)
    // Loaded here, not at the top: the other commands start faster without Fastify and its plugins.
    const { startServer } = await import('../../server.ts')
    await startServer(config, { print: io.err })
    // The server keeps the process alive; it exits when a signal closes it.
    return EXIT.ok
  },
})
