/**
 * The host names that publishers' clients have written into their code (spec Appendix A): the CPP
 * API and the two Azure AD authorities they ask for tokens (login.microsoft.com is the TypeScript
 * client's). The server certificate names them, and the proxy answers for them and nothing else.
 */
export const MICROSOFT_HOSTS = [
  'cloudpartner.azure.com',
  'login.microsoftonline.com',
  'login.microsoft.com',
] as const

/** The names a local server certificate carries besides the Microsoft ones: this machine's loopback. */
export const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const

/** Host names are case-insensitive and may end in a dot (a fully qualified name). */
export function isMicrosoftHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return (MICROSOFT_HOSTS as readonly string[]).includes(name)
}
