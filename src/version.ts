import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The package's version, for the OpenAPI document and `--version`. */
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version
