/**
 * Whether and where traces are exported: read from the standard OpenTelemetry variables, once, by
 * loadConfig (the one reader of the environment). Absent: tracing is off, and nothing of the SDK is
 * loaded. The exporter reads the rest of its own OTLP variables (headers, timeout, compression,
 * certificates) as the specification says it must.
 */
export interface TracingSettings {
  /** Where spans are sent: the traces endpoint as given, or the general endpoint + /v1/traces. */
  readonly endpoint: string
  readonly protocol: 'http/protobuf' | 'http/json'
  readonly serviceName: string
  /** OTEL_TRACES_SAMPLER: always_on, always_off, traceidratio, or parentbased_ with one of them. */
  readonly sampler: string
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of traceidratio. */
  readonly samplerRatio: number
}

const PROTOCOLS = ['http/protobuf', 'http/json'] as const
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]

export function tracingSettingsFrom(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((name) => name.trim())
  if (exporters !== undefined && exporters.length > 0 && !exporters.includes('otlp')) return undefined
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (!tracesEndpoint && !endpoint) return undefined
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    'http/protobuf'
  )
    .trim()
    .toLowerCase()
  if (!PROTOCOLS.includes(protocol as (typeof PROTOCOLS)[number]))
    throw new Error(
      `Invalid setting OTEL_EXPORTER_OTLP_PROTOCOL: '${protocol}' is not supported; use http/protobuf or http/json`,
    )
  const sampler = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase()
  if (!SAMPLERS.includes(sampler))
    throw new Error(`Invalid setting OTEL_TRACES_SAMPLER: '${sampler}'; one of ${SAMPLERS.join(', ')}`)
  const ratio = env.OTEL_TRACES_SAMPLER_ARG === undefined ? 1 : Number(env.OTEL_TRACES_SAMPLER_ARG)
  if (!(ratio >= 0 && ratio <= 1))
    throw new Error('Invalid setting OTEL_TRACES_SAMPLER_ARG: a ratio between 0 and 1')
  return {
    endpoint: tracesEndpoint || `${(endpoint as string).replace(/\/+$/, '')}/v1/traces`,
    protocol: protocol as TracingSettings['protocol'],
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'cloudpartner',
    sampler,
    samplerRatio: ratio,
  }
}
