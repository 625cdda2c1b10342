import { type TSchema, Type } from 'typebox'
import { OFFER_ID_PATTERN } from '../offers/offer.ts'

/**
 * Building blocks of the offer-type schemas. An offer definition is a flat bag of namespaced keys
 * (reference §6.1): every schema here describes the keys we know and lets unknown ones through,
 * because clients GET a draft, change one key and PUT everything back.
 */

/** An http(s) URL, as the reference's logos, VHDs, packages and links are. */
export const URL_PATTERN = '^https?://\\S+$'
/** A URL, or empty: drafts carry `""` for URLs not set yet (the reference's own example does). */
export const URL_OR_EMPTY_PATTERN = '^(https?://\\S+)?$'
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
/** Plan ids follow the portal's identifier rule, like offer ids (§6.3). */
export const PLAN_ID_PATTERN = OFFER_ID_PATTERN.source
/** Disk and package versions: `major.minor.patch`, e.g. 1.0.1 or 2019.10.11 (§7.1, §8.1). */
export const VERSION_KEY = /^\d+\.\d+\.\d+$/
export const COUNTRY_PATTERN = '^[A-Z]{2}$'

/** How a broken pattern is explained in a 400, instead of quoting the regular expression. */
export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [URL_PATTERN]: 'must be an http(s) URL',
  [URL_OR_EMPTY_PATTERN]: 'must be an http(s) URL or empty',
  [GUID_PATTERN]: 'must be a GUID',
  [PLAN_ID_PATTERN]:
    'must be an identifier: lowercase letters, digits, - and _, at most 50 characters, not ending in -',
  [COUNTRY_PATTERN]: 'must be a two-letter country code in capitals, e.g. US',
}

export const Text = (description: string) => Type.String({ description })
export const Flag = (description: string) => Type.Boolean({ description })
export const Url = (description: string) => Type.String({ pattern: URL_PATTERN, description })
export const UrlOrEmpty = (description: string) => Type.String({ pattern: URL_OR_EMPTY_PATTERN, description })
export const Guid = (description: string) => Type.String({ pattern: GUID_PATTERN, description })
export const TextList = (description: string) => Type.Array(Type.String(), { description })
/** An array whose elements the reference never described: checked to be an array, nothing more. */
export const AnyList = (description: string) => Type.Array(Type.Unknown(), { description })
/** An object whose members the reference never described: kept verbatim. */
export const AnyObject = (description: string) => Type.Object({}, { additionalProperties: true, description })

/** Alternatives; `expected` is what a 400 says the value must be when it matches none. */
export function OneOf(schemas: TSchema[], expected: string, description: string) {
  return Type.Union(schemas, { description, 'x-expected': expected })
}

/** `{linkTitle, linkUrl}` links; a string is accepted too (devigned/pub typed them so, §10.22). */
export const LinkList = (description: string) =>
  Type.Array(
    OneOf(
      [
        Type.Object(
          { linkTitle: Text('Title of the link.'), linkUrl: UrlOrEmpty('Where the link goes.') },
          { additionalProperties: true },
        ),
        Type.String(),
      ],
      'a link {linkTitle, linkUrl} or a string',
      'A link.',
    ),
    { description },
  )

/** `categoryMap` entries: `{"categoryL1": "<key>", "categoryL2-<key>": ["<key>", …]}` (§6.4). */
export const CategoryMap = (description: string) =>
  Type.Array(
    Type.Object(
      { categoryL1: Text('Category key.') },
      {
        patternProperties: { '^categoryL2-': Type.Array(Type.String()) },
        additionalProperties: true,
        description: 'A category and its subcategories.',
      },
    ),
    { description },
  )

/** A map keyed by `major.minor.patch` versions; the key format is checked by definition-rules.ts. */
export const VersionMap = (entry: TSchema, description: string) =>
  Type.Record(Type.String(), entry, { description })

/** An object that keeps unknown members (every bag of the definition does). */
export function OpenObject(properties: Record<string, TSchema>, description: string) {
  return Type.Object(properties, { additionalProperties: true, description })
}

/** `{ "<namespace>.<field>": schema }`, every key optional: a draft may lack any of them. */
export function namespaced(namespace: string, fields: Record<string, TSchema>): Record<string, TSchema> {
  return Object.fromEntries(
    Object.entries(fields).map(([field, schema]) => [`${namespace}.${field}`, Type.Optional(schema)]),
  )
}

/** Optional un-namespaced keys. */
export function optional(fields: Record<string, TSchema>): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, Type.Optional(schema)]))
}
