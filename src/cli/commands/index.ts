import type { CommandEntry } from '../command.ts'

/**
 * Every command, in the order `cloudpartner --help` lists them. Each is imported only when it runs:
 * `serve` does not carry the other commands' modules (the SDK, node-forge, the import and copy code)
 * in its memory, and every command starts without loading the others.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    path: ['serve'],
    summary: 'Start the API server (npm start)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    path: ['publishers', 'create'],
    summary: 'Create a publisher namespace',
    load: async () => (await import('./publishers.ts')).publishersCreateCommand,
  },
  {
    path: ['publishers', 'list'],
    summary: 'List every publisher namespace in the store',
    load: async () => (await import('./publishers.ts')).publishersListCommand,
  },
  {
    path: ['principals', 'create'],
    summary: 'Register a principal (an application) and print its secret once',
    load: async () => (await import('./principals-create.ts')).principalsCreateCommand,
  },
  {
    path: ['principals', 'list'],
    summary: 'List principals with their grants (never their secrets)',
    load: async () => (await import('./principals.ts')).principalsListCommand,
  },
  {
    path: ['principals', 'grant'],
    summary: 'Give a principal a role on a publisher (or change it)',
    load: async () => (await import('./principals.ts')).principalsGrantCommand,
  },
  {
    path: ['principals', 'revoke'],
    summary: "Remove a principal's role on a publisher",
    load: async () => (await import('./principals.ts')).principalsRevokeCommand,
  },
  {
    path: ['principals', 'rotate-secret'],
    summary: 'Give a principal a new client secret, printed once; the old one stops working',
    load: async () => (await import('./principals.ts')).principalsRotateSecretCommand,
  },
  {
    path: ['principals', 'add-certificate'],
    summary: 'Register a certificate a principal may get tokens with (client assertions)',
    load: async () => (await import('./principals-certificates.ts')).principalsAddCertificateCommand,
  },
  {
    path: ['principals', 'remove-certificate'],
    summary: "Remove a principal's certificate; its assertions are refused at once",
    load: async () => (await import('./principals-certificates.ts')).principalsRemoveCertificateCommand,
  },
  {
    path: ['principals', 'assertion'],
    summary: "Print a client assertion signed with a certificate's key (token endpoint, portal sign-in)",
    load: async () => (await import('./principals-assertion.ts')).principalsAssertionCommand,
  },
  {
    path: ['principals', 'delete'],
    summary: 'Delete a principal and its grants; its tokens stop working',
    load: async () => (await import('./principals.ts')).principalsDeleteCommand,
  },
  {
    path: ['import'],
    summary: 'Import offers from JSON files, all or nothing',
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    path: ['token'],
    summary: 'Print an access token for a principal (default: the development principal)',
    load: async () => (await import('./token.ts')).tokenCommand,
  },
  {
    path: ['keys', 'rotate'],
    summary: 'Make a new token-signing key active; tokens already issued keep working',
    load: async () => (await import('./keys.ts')).keysRotateCommand,
  },
  {
    path: ['keys', 'list'],
    summary: 'List the token-signing keys (public halves only)',
    load: async () => (await import('./keys.ts')).keysListCommand,
  },
  {
    path: ['migrate-to-postgres'],
    summary: 'Copy the embedded SQLite store into a new PostgreSQL database',
    load: async () => (await import('./migrate-to-postgres.ts')).migrateToPostgresCommand,
  },
  {
    path: ['cert'],
    summary: 'Create a local CA and a server certificate for the Microsoft host names; say how to trust it',
    load: async () => (await import('./cert.ts')).certCommand,
  },
  {
    path: ['operations', 'list'],
    summary: "List an offer's publishing operations, newest first",
    load: async () => (await import('./operations.ts')).operationsListCommand,
  },
  {
    path: ['operations', 'show'],
    summary: 'Show a publishing operation and its steps',
    load: async () => (await import('./operations.ts')).operationsShowCommand,
  },
  {
    path: ['operations', 'advance'],
    summary: 'Complete the running step of an operation',
    load: async () => (await import('./operations.ts')).operationsAdvanceCommand,
  },
  {
    path: ['operations', 'fail'],
    summary: 'Make the running step of an operation fail',
    load: async () => (await import('./operations.ts')).operationsFailCommand,
  },
  {
    path: ['operations', 'block'],
    summary: 'Block the running step of an operation',
    load: async () => (await import('./operations.ts')).operationsBlockCommand,
  },
  {
    path: ['operations', 'fail-next'],
    summary: 'Make the next publish of an offer fail at a step (failure injection)',
    load: async () => (await import('./operations-fail-next.ts')).operationsFailNextCommand,
  },
  {
    path: ['audit'],
    summary: 'Read the audit trail: who changed what, when, through which door',
    load: async () => (await import('./audit.ts')).auditCommand,
  },
  {
    path: ['outbox'],
    summary: 'Show the notification e-mails of a publishing operation',
    load: async () => (await import('./outbox.ts')).outboxCommand,
  },
  {
    path: ['profiles', 'add'],
    summary: 'Save connection settings as a profile for the offers commands (--profile)',
    load: async () => (await import('./profiles.ts')).profilesAddCommand,
  },
  {
    path: ['profiles', 'list'],
    summary: 'List the profiles (never their secrets)',
    load: async () => (await import('./profiles.ts')).profilesListCommand,
  },
  {
    path: ['profiles', 'use'],
    summary: 'Make a profile the default',
    load: async () => (await import('./profiles.ts')).profilesUseCommand,
  },
  {
    path: ['profiles', 'remove'],
    summary: 'Remove a profile',
    load: async () => (await import('./profiles.ts')).profilesRemoveCommand,
  },
  {
    path: ['completion'],
    summary: 'Print the shell completion script for bash, zsh or fish',
    load: async () => (await import('./completion.ts')).completionCommand,
  },
  // Through the API, over the SDK (any CPP endpoint); `cloudpartner --help` lists them apart.
  {
    path: ['offers', 'list'],
    summary: 'List the offers of a publisher',
    load: async () => (await import('./offers-list.ts')).offersListCommand,
  },
  {
    path: ['offers', 'show'],
    summary: 'Show the draft of an offer',
    load: async () => (await import('./offers-show.ts')).offersShowCommand,
  },
  {
    path: ['offers', 'get-version'],
    summary: 'Show a version of an offer',
    load: async () => (await import('./offers-show.ts')).offersGetVersionCommand,
  },
  {
    path: ['offers', 'get-slot'],
    summary: 'Show the offer in a slot (draft, preview, production)',
    load: async () => (await import('./offers-show.ts')).offersGetSlotCommand,
  },
  {
    path: ['offers', 'put'],
    summary: 'Create an offer or replace its draft from a JSON file',
    load: async () => (await import('./offers-put.ts')).offersPutCommand,
  },
  {
    path: ['offers', 'validate'],
    summary: 'Check an offer document locally, as the server would',
    load: async () => (await import('./offers-validate.ts')).offersValidateCommand,
  },
  {
    path: ['offers', 'diff'],
    summary: 'Show what changed between two versions or slots of an offer',
    load: async () => (await import('./offers-diff.ts')).offersDiffCommand,
  },
  {
    path: ['offers', 'publish'],
    summary: 'Publish the draft of an offer (--wait: follow it to Preview)',
    load: async () => (await import('./offers-publish.ts')).offersPublishCommand,
  },
  {
    path: ['offers', 'golive'],
    summary: 'Push the version in Preview to Production (--wait: follow it)',
    load: async () => (await import('./offers-publish.ts')).offersGoLiveCommand,
  },
  {
    path: ['offers', 'cancel'],
    summary: 'Cancel the publish in progress of an offer',
    load: async () => (await import('./offers-cancel.ts')).offersCancelCommand,
  },
  {
    path: ['offers', 'status'],
    summary: 'Show the publishing status of an offer and its steps',
    load: async () => (await import('./offers-status.ts')).offersStatusCommand,
  },
  {
    path: ['offers', 'operations'],
    summary: "List an offer's operations, or show one",
    load: async () => (await import('./offers-operations.ts')).offersOperationsCommand,
  },
]
