import type { Core } from '../../core.js'
import { createId } from '../../crypto/random-token.js'
import { openSecret, sealSecret } from '../../crypto/secret-box.js'
import { sha256Hex } from '../../crypto/sha256.js'
import type { SessionRecord } from '../../storage/ports.js'
import { revokeSession } from '../sessions/revoke-session.js'

// One record per purpose and session (the subject), found again by the provider's subject or its
// session id (`sid`) through the secret hash: back-channel logout names only those.
const bySubjectPurpose = 'oidc_session'
const bySidPurpose = 'oidc_sid'

/** Most sessions one back-channel logout ends; a subject signed in far more often than this is not a person. */
const maxSessionsPerLogout = 1000

const subjectKey = (issuer: string, subject: string) => sha256Hex(`sub\u0000${issuer}\u0000${subject}`)
const sidKey = (issuer: string, sid: string) => sha256Hex(`sid\u0000${issuer}\u0000${sid}`)

export interface OidcSessionOrigin {
  provider: string
  issuer: string
  subject: string
  /** The provider's session id (`sid` claim), when it gave one. */
  sid: string | null
  /** Kept sealed for RP-initiated logout's id_token_hint; never answered. */
  idToken: string
}

/** Remembers which provider session a gatehouse session came from, for logout; it expires with the session. */
export async function recordOidcSession(core: Core, session: SessionRecord, origin: OidcSessionOrigin): Promise<void> {
  const now = core.config.clock.now()
  const base = { subject: session.id, userId: session.userId, attempts: 0, createdAt: now, expiresAt: session.expiresAt }
  await core.storage.verifications.create({
    ...base,
    id: createId(core.config.random),
    purpose: bySubjectPurpose,
    secretHash: subjectKey(origin.issuer, origin.subject),
    data: { provider: origin.provider, sessionId: session.id, idToken: sealSecret(core.config, origin.idToken, `${bySubjectPurpose}:${session.id}`) },
  })
  if (origin.sid === null) return
  await core.storage.verifications.create({
    ...base,
    id: createId(core.config.random),
    purpose: bySidPurpose,
    secretHash: sidKey(origin.issuer, origin.sid),
    data: { provider: origin.provider, sessionId: session.id },
  })
}

/** The provider and ID token a live session came from, or null for a session that did not come from OIDC. */
export async function findOidcSession(core: Core, sessionId: string): Promise<{ provider: string; idToken: string } | null> {
  const record = await core.storage.verifications.find(bySubjectPurpose, sessionId, core.config.clock.now())
  const data = record?.data
  if (data?.provider === undefined || data.idToken === undefined) return null
  return { provider: data.provider, idToken: openSecret(core.config, data.idToken, `${bySubjectPurpose}:${sessionId}`) }
}

/**
 * Ends every gatehouse session that came from the provider session `sid`, or from the provider's
 * `subject`, at once: they are removed from the sessions store, which every process reads.
 * Answers how many ended.
 */
export async function endOidcSessions(core: Core, issuer: string, match: { subject?: string | undefined; sid?: string | undefined }): Promise<number> {
  const [purpose, key] = match.sid !== undefined ? [bySidPurpose, sidKey(issuer, match.sid)] : [bySubjectPurpose, subjectKey(issuer, match.subject ?? '')]
  let ended = 0
  for (let index = 0; index < maxSessionsPerLogout; index++) {
    const record = await core.storage.verifications.consume(purpose, key, core.config.clock.now())
    if (record === null) break
    if (record.userId !== null && record.data?.sessionId !== undefined && (await revokeSession(core, record.userId, record.data.sessionId))) ended++
  }
  return ended
}
