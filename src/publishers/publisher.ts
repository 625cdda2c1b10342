/** A publisher namespace, as the domain sees it. */
export interface Publisher {
  readonly id: string
  readonly displayText: string
  readonly sellerId?: number
  readonly offerTypeCategories: readonly string[]
  readonly version: number
}

/** Publisher ids follow the portal's rule for identifiers: lowercase letters, digits, `-` and `_`. */
export const PUBLISHER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,49}$/
