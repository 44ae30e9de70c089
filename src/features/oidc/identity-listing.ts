import type { IdentityRecord } from '../../storage/ports.js'

/** An identity as identityList answers it. */
export interface IdentityListing {
  id: string
  /** The configured provider's id. */
  provider: string
  subject: string
  email: string | null
  linkedAt: string
}

export function toIdentityListing(identity: IdentityRecord): IdentityListing {
  return {
    id: identity.id,
    provider: identity.provider,
    subject: identity.subject,
    email: identity.email,
    linkedAt: new Date(identity.linkedAt).toISOString(),
  }
}
