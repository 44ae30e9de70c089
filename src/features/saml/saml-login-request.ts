import type { Core } from '../../core.js'
import { createId, createSecret } from '../../crypto/random-token.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import { normalizeEmail } from '../../http/email.js'
import { resolveSafeRedirect } from '../../http/safe-redirect.js'
import type { SsoConfigRecord, VerificationRecord } from '../../storage/ports.js'
import { saml2JsEngine } from './saml2-js-engine.js'
import { samlOptions } from './saml-options.js'
import { describeServiceProvider } from './sso-config.js'

export const samlRequestPurpose = 'saml_request'

// NameID formats the SP asks for and names in its metadata; 'unspecified' lets every IdP answer.
export const unspecifiedNameIdFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'
export const emailNameIdFormat = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
export const persistentNameIdFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'

/** Whom the login is for: a workspace by id, or the workspace owning an e-mail's domain. */
export type SamlLoginTarget = { workspaceId: string; email?: undefined } | { email: string; workspaceId?: undefined }

/** The enabled config a login targets, or 404 (no config, SSO off, or no workspace owns the domain). */
async function findEnabledConfig(core: Core, target: SamlLoginTarget): Promise<SsoConfigRecord> {
  let config: SsoConfigRecord | null
  if (target.workspaceId !== undefined) config = target.workspaceId.length > 200 ? null : await core.storage.workspaces.getSsoConfig(target.workspaceId)
  else {
    const email = normalizeEmail(target.email)
    config = await core.storage.workspaces.findSsoConfigByDomain(email.slice(email.lastIndexOf('@') + 1).replace(/\.$/, ''))
  }
  if (config === null || !config.enabled) throw notFound('SSO configuration')
  return config
}

/**
 * The IdP URL (HTTP-Redirect binding) that starts an SP-initiated login. The request's ID is kept
 * server-side (its sha256, single use, bound to the workspace) because the IdP's cross-site POST
 * back carries no SameSite=Lax cookie; RelayState is only a random reference to it, and
 * `returnTo` is checked against the allow-list here, so the ACS never redirects where a post says.
 */
export async function createSamlLoginUrl(core: Core, target: SamlLoginTarget & { returnTo?: string | undefined }): Promise<{ ssoUrl: string; workspaceId: string }> {
  const options = samlOptions.of(core)
  const returnTo = resolveSafeRedirect(options.redirects, target.returnTo ?? options.defaultRedirect)
  if (returnTo === null) throw new AuthError('INVALID_REDIRECT')
  const config = await findEnabledConfig(core, target)
  const sp = describeServiceProvider(core, config.workspaceId)
  const { random, clock } = core.config
  const relayState = createSecret(random)
  const { url, requestId } = await saml2JsEngine.createLoginRequest({
    idpSsoUrl: config.idpSsoUrl,
    spEntityId: sp.entityId,
    acsUrl: sp.acsUrl,
    relayState,
    nameIdFormat: unspecifiedNameIdFormat,
  })
  const now = clock.now()
  const requestHash = sha256Hex(requestId)
  const record: VerificationRecord = {
    id: createId(random),
    purpose: samlRequestPurpose,
    subject: requestHash,
    userId: null,
    secretHash: requestHash,
    data: { workspaceId: config.workspaceId, returnTo, relayStateHash: sha256Hex(relayState) },
    attempts: 0,
    createdAt: now,
    expiresAt: now + options.requestLifetimeSeconds * 1000,
  }
  await core.storage.verifications.create(record)
  return { ssoUrl: url, workspaceId: config.workspaceId }
}
