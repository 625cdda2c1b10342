/**
 * The publishing pipeline of each offer type: the steps an operation shows, in order (reference §4.6).
 * Virtual machine ids, names, descriptions and estimates are the reference's examples. Azure
 * applications follow the portal's documented pipeline; their ids are ours, in the same style, and
 * are listed in docs/compatibility.md. `durationMs` is the documented duration the realistic profile
 * scales; publisher sign-off has none: it waits for go-live.
 */
export interface PipelineStep {
  readonly id: string
  readonly stepName: string
  readonly description: string
  readonly estimatedTimeFrame?: string
  /** `publish` steps run in the publish operation, `signoff` waits, `goLive` steps run in the go-live. */
  readonly phase: 'publish' | 'signoff' | 'goLive'
  readonly durationMs: number
}

export interface Pipeline {
  readonly steps: readonly PipelineStep[]
  /** Where checkPublishable's blockers stop the publish (the reference's E11 example). */
  readonly certificationStepId: string
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const SIGNOFF_STEP_ID = 'publisher-signoff'

const SIGNOFF: PipelineStep = {
  id: SIGNOFF_STEP_ID,
  stepName: 'Publisher signoff',
  description:
    'Offer is available to preview. Ensure that everything looks good before making your offer live.',
  estimatedTimeFrame: '< 1 hour',
  phase: 'signoff',
  durationMs: 0,
}

const VIRTUAL_MACHINE: Pipeline = {
  certificationStepId: 'displaycertify',
  steps: [
    {
      id: 'displaydummycertify',
      stepName: 'Validate Pre-Requisites',
      description: 'Offer settings provided are validated.',
      estimatedTimeFrame: '< 15 min',
      phase: 'publish',
      durationMs: 15 * MINUTE,
    },
    {
      id: 'displaycertify',
      stepName: 'Certification',
      description: 'Your offer is analyzed by our certification systems for issues.',
      estimatedTimeFrame: '~2-3 days',
      phase: 'publish',
      durationMs: 3 * DAY,
    },
    {
      id: 'displayprovision',
      stepName: 'Provisioning',
      description: 'Your virtual machine is being replicated in our production systems.',
      estimatedTimeFrame: '< 1 day',
      phase: 'publish',
      durationMs: DAY,
    },
    {
      id: 'displaypackage',
      stepName: 'Packaging and Lead Generation Registration',
      description:
        'Your virtual machine is being packaged for customers. Additionally, lead systems are being configured and set up.',
      estimatedTimeFrame: '< 1 hour',
      phase: 'publish',
      durationMs: HOUR,
    },
    SIGNOFF,
    {
      id: 'live',
      stepName: 'Live',
      description: 'Offer is publicly visible and is available for purchase.',
      estimatedTimeFrame: '~2-5 days',
      phase: 'goLive',
      durationMs: 4 * DAY,
    },
  ],
}

const AZURE_APPLICATION: Pipeline = {
  certificationStepId: 'displaycertify',
  steps: [
    {
      id: 'displaydummycertify',
      stepName: 'Validate Pre-Requisites',
      description: 'Offer information and offer settings are validated.',
      estimatedTimeFrame: '< 15 min',
      phase: 'publish',
      durationMs: 15 * MINUTE,
    },
    {
      id: 'displayrevenuecertify',
      stepName: 'Validate Influenced Revenue Settings',
      description: 'Azure resource usage attribution for the offer is checked.',
      estimatedTimeFrame: '< 15 min',
      phase: 'publish',
      durationMs: 15 * MINUTE,
    },
    {
      id: 'displaycertify',
      stepName: 'Certification',
      description:
        'Your offer is analyzed by the Azure Certification Team: it is scanned for viruses, malware, safety compliance and security issues.',
      estimatedTimeFrame: '< 1 day',
      phase: 'publish',
      durationMs: DAY,
    },
    {
      id: 'displaypackage',
      stepName: 'Packaging and Lead Generation Registration',
      description:
        "Your offer's technical assets are packaged for customer use, and lead systems are configured and deployed.",
      estimatedTimeFrame: '< 1 hour',
      phase: 'publish',
      durationMs: HOUR,
    },
    SIGNOFF,
    {
      id: 'displayreview',
      stepName: 'Microsoft Review',
      description:
        'Microsoft holistically reviews your Azure application and e-mails you if issues are discovered.',
      estimatedTimeFrame: '7 - 14 days',
      phase: 'goLive',
      durationMs: 10 * DAY,
    },
    {
      id: 'live',
      stepName: 'Live',
      description:
        'Offer is released, replicated to the specified regions, and made available to the public.',
      estimatedTimeFrame: '< 1 day',
      phase: 'goLive',
      durationMs: DAY,
    },
  ],
}

const PIPELINES: Readonly<Record<string, Pipeline>> = {
  'microsoft-azure-virtualmachines': VIRTUAL_MACHINE,
  // Core VM offers are virtual machine offers published by Microsoft's own teams: same pipeline.
  'microsoft-azure-corevm': VIRTUAL_MACHINE,
  'microsoft-azure-applications': AZURE_APPLICATION,
}

/** The pipeline of an offer type; an unknown type (an imported document) publishes like a VM offer. */
export function pipelineOf(offerTypeId: string): Pipeline {
  return PIPELINES[offerTypeId] ?? VIRTUAL_MACHINE
}

export function pipelineStep(offerTypeId: string, stepId: string): PipelineStep | undefined {
  return pipelineOf(offerTypeId).steps.find((step) => step.id === stepId)
}
