import { isIP } from 'node:net'

/**
 * Whether a host name or address is this machine's loopback: `localhost`, 127.0.0.0/8 or ::1 (in
 * brackets too, as URLs write it). The one check behind "development mode only on loopback" (the
 * server) and "the development credentials only for a loopback endpoint" (the CLI).
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (name === 'localhost') return true
  if (isIP(name) === 4) return name.startsWith('127.')
  if (isIP(name) === 6) return name === '::1'
  return false
}
