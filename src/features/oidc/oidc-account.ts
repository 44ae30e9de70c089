import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { AuthError } from '../../errors/auth-error.js'
import { emailField } from '../../http/email.js'
import type { IdentityRecord, UserRecord } from '../../storage/ports.js'
import { secureProvenMailbox } from '../account/secure-proven-mailbox.js'
import { signUp } from '../passwords/sign-up.js'
import type { ProfileValue } from '../../config/profile-field-options.js'
import type { ResolvedOidcProvider } from './oidc-options.js'

/** Who the provider says signed in: the verified ID token's claims (and userinfo's) that gatehouse uses. */
export interface OidcProfile {
  issuer: string
  subject: string
  /** Normalised; null when the provider gave none or not an address. */
  email: string | null
  /** Only a literal `email_verified: true` counts. */
  emailVerified: boolean
  name: string | null
}

export function readOidcProfile(provider: ResolvedOidcProvider, claims: Record<string, unknown>): OidcProfile {
  const email = emailField.safeParse(claims[provider.claims.email])
  const name = claims[provider.claims.name]
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email: email.success ? email.data : null,
    emailVerified: claims.email_verified === true,
    name: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : null,
  }
}

function buildIdentity(core: Core, provider: ResolvedOidcProvider, profile: OidcProfile, userId: string): IdentityRecord {
  return {
    id: createId(core.config.random),
    userId,
    provider: provider.id,
    issuer: profile.issuer,
    subject: profile.subject,
    email: profile.email,
    linkedAt: core.config.clock.now(),
  }
}

/** The user an existing identity belongs to, or null when there is none (or its user is gone). */
async function findIdentityUser(core: Core, profile: OidcProfile): Promise<UserRecord | null> {
  const identity = await core.storage.identities.getBySubject(profile.issuer, profile.subject)
  return identity === null ? null : core.storage.users.getById(identity.userId)
}

/**
 * Links the identity to `userId`. An identity never moves: linked to another user it is 409
 * IDENTITY_TAKEN; linked to this one already, nothing changes.
 */
export async function linkOidcIdentity(core: Core, provider: ResolvedOidcProvider, profile: OidcProfile, userId: string): Promise<void> {
  const outcome = await core.storage.identities.create(buildIdentity(core, provider, profile, userId))
  if (outcome === 'created') return
  const existing = await core.storage.identities.getBySubject(profile.issuer, profile.subject)
  if (existing?.userId !== userId) throw new AuthError('IDENTITY_TAKEN')
}

/** A new user for a first login; the identity is created right after, and a concurrent first login of the same identity wins or loses as a whole. */
async function createOidcUser(core: Core, provider: ResolvedOidcProvider, profile: OidcProfile, email: string, fields?: Record<string, ProfileValue>): Promise<UserRecord> {
  let user: UserRecord
  try {
    user = await signUp(core, { email, password: null, name: profile.name, profile: fields })
  } catch (error) {
    if (error instanceof AuthError && error.code === 'CONFLICT') throw new AuthError('OIDC_ACCOUNT_EXISTS')
    throw error
  }
  if (profile.emailVerified) {
    const now = core.config.clock.now()
    await core.storage.users.update(user.id, { emailVerifiedAt: now, updatedAt: now })
    user = { ...user, emailVerifiedAt: now, updatedAt: now }
  }
  if ((await core.storage.identities.create(buildIdentity(core, provider, profile, user.id))) === 'created') return user
  await core.storage.users.delete(user.id)
  const winner = await findIdentityUser(core, profile)
  if (winner === null) throw new AuthError('OIDC_ACCOUNT_EXISTS')
  return winner
}

/**
 * The user a login with this identity signs in as, by the linking policy: the identity's user;
 * else, with `linkByEmail` and a verified e-mail, the account of that e-mail (secured as a first
 * proof of its mailbox); else a new user when `allowSignup`. Refusals: 409 OIDC_ACCOUNT_EXISTS
 * (the page can offer "sign in, then link"), 403 OIDC_SIGNUP_DISABLED, 400 OIDC_EMAIL_MISSING.
 */
export async function findOrCreateOidcUser(
  core: Core,
  provider: ResolvedOidcProvider,
  profile: OidcProfile,
  /** Profile field values (`profileFields`) for a user this login creates; an existing user keeps theirs. */
  fields?: Record<string, ProfileValue>,
): Promise<UserRecord> {
  const known = await findIdentityUser(core, profile)
  if (known !== null) return known
  if (profile.email === null) throw new AuthError(provider.allowSignup ? 'OIDC_EMAIL_MISSING' : 'OIDC_SIGNUP_DISABLED')
  const existing = await core.storage.users.getByEmail(profile.email)
  if (existing !== null) {
    if (!provider.linkByEmail || !profile.emailVerified) throw new AuthError('OIDC_ACCOUNT_EXISTS')
    await linkOidcIdentity(core, provider, profile, existing.id)
    // Whoever signed up with the address before its owner may have set a password or factors: they go.
    return secureProvenMailbox(core, existing)
  }
  if (!provider.allowSignup) throw new AuthError('OIDC_SIGNUP_DISABLED')
  return createOidcUser(core, provider, profile, profile.email, fields)
}
