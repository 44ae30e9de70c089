import type { Core } from '../../core.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError } from '../../errors/auth-error.js'
import { deliverMessage } from '../../delivery/deliver-message.js'
import { emailField, maskEmail } from '../../http/email.js'
import type { SsoConfigRecord, UserRecord } from '../../storage/ports.js'
import { signUp } from '../passwords/sign-up.js'
import type { AcceptedSamlResponse } from './accept-saml-response.js'
import { emailNameIdFormat } from './saml-login-request.js'
import { samlOptions } from './saml-options.js'

export const samlLinkPurpose = 'saml_link'
/** A pending link confirmed by the code mailed to the account (`saml.linkConfirmation: 'code'`), keyed by the user. */
export const samlLinkCodePurpose = 'saml_link_code'

/**
 * Who an accepted response signs in, or the account it must first be linked to: with the link
 * cookie's token, or null when the confirmation code went to the account's mailbox instead.
 */
export type SamlSignIn = { kind: 'user'; user: UserRecord } | { kind: 'link_required'; user: UserRecord; linkToken: string | null }

/** The e-mail and name the IdP asserts, read through the workspace's attribute mapping. */
function readProfile(accepted: AcceptedSamlResponse): { email: string | null; name: string | null } {
  const { assertion } = accepted.facts
  const mapping = accepted.config.attributeMapping
  const first = (name: string) => assertion.attributes[name]?.[0]?.trim() || null
  const rawEmail = mapping.email !== null ? first(mapping.email) : assertion.nameIdFormat === emailNameIdFormat ? assertion.nameId : first('email')
  const parsed = emailField.safeParse(rawEmail ?? '')
  return { email: parsed.success ? parsed.data : null, name: first(mapping.name ?? 'name')?.slice(0, 200) ?? null }
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1)
}

/** Makes `userId` a member of the SSO workspace unless they already are one. */
export async function joinSsoWorkspace(core: Core, workspaceId: string, userId: string): Promise<void> {
  await core.storage.workspaces.addMember({ workspaceId, userId, role: 'member', joinedAt: core.config.clock.now() })
}

/**
 * Keeps the identity waiting for ssoLink: a single-use secret bound to the account it names, for
 * the link cookie (answered) or, with `linkConfirmation: 'code'`, e-mailed to the account (null).
 */
async function holdPendingLink(core: Core, config: SsoConfigRecord, nameId: string, user: UserRecord): Promise<string | null> {
  const { random, clock } = core.config
  const { linkConfirmation, linkLifetimeSeconds } = samlOptions.of(core)
  const secret = createSecret(random)
  const now = clock.now()
  await core.storage.verifications.create({
    id: createId(random),
    purpose: linkConfirmation === 'code' ? samlLinkCodePurpose : samlLinkPurpose,
    subject: user.id,
    userId: user.id,
    secretHash: sha256Hex(secret),
    data: { workspaceId: config.workspaceId, idpEntityId: config.idpEntityId, nameId },
    attempts: 0,
    createdAt: now,
    expiresAt: now + linkLifetimeSeconds * 1000,
  })
  if (linkConfirmation === 'cookie') return `${user.id}.${secret}`
  // The mailbox is the second proof: only the account's owner reads the code (the caller also proves the account at ssoLink).
  await deliverMessage(core, { medium: 'email', to: user.email, masked: maskEmail(user.email) }, user.email, 'sso_link_code', [], {
    code: secret,
    lifetimeMinutes: Math.ceil(linkLifetimeSeconds / 60),
  })
  return null
}

/**
 * The user an accepted response is for. A linked identity signs its user in. Otherwise the
 * asserted e-mail must lie in one of the workspace's domains: an unknown one becomes a new member
 * (e-mail left unverified: domains are claimed, not proven); an existing account is not signed
 * in but gets a pending link, so an IdP can never take over an account by naming its e-mail.
 */
export async function resolveSamlSignIn(core: Core, accepted: AcceptedSamlResponse): Promise<SamlSignIn> {
  const { config, facts } = accepted
  const identity = await core.storage.workspaces.getSamlIdentity(config.workspaceId, config.idpEntityId, facts.assertion.nameId)
  if (identity !== null) {
    const user = await core.storage.users.getById(identity.userId)
    if (user === null) throw new AuthError('SAML_RESPONSE_REJECTED', { message: 'The linked account is gone.' })
    return { kind: 'user', user }
  }
  const { email, name } = readProfile(accepted)
  if (email === null) throw new AuthError('SAML_RESPONSE_REJECTED', { message: 'The response carries no e-mail address.' })
  if (!config.domains.includes(domainOf(email))) throw new AuthError('SSO_SIGNUP_REFUSED')
  const existing = await core.storage.users.getByEmail(email)
  if (existing !== null) return { kind: 'link_required', user: existing, linkToken: await holdPendingLink(core, config, facts.assertion.nameId, existing) }
  const user = await signUp(core, { email, password: null, name })
  const linked = await core.storage.workspaces.linkSamlIdentity({
    id: createId(core.config.random),
    workspaceId: config.workspaceId,
    idpEntityId: config.idpEntityId,
    nameId: facts.assertion.nameId,
    userId: user.id,
    linkedAt: core.config.clock.now(),
  })
  if (linked === 'taken') throw new AuthError('CONFLICT', { message: 'This SSO identity was linked at the same moment; sign in again.' })
  await joinSsoWorkspace(core, config.workspaceId, user.id)
  return { kind: 'user', user }
}
