/**
 * The package's main entry (`import … from 'cloudpartner'`): start the server from a program, as
 * `cloudpartner serve` does. The SDK, for clients, is `cloudpartner/sdk`.
 */
export { type Config, ConfigError, loadConfig } from './config.ts'
export { type StartServerOptions, startServer } from './server.ts'
export { PACKAGE_VERSION } from './version.ts'
