import { type MailboxProof, secureProvenMailbox } from '../account/secure-proven-mailbox.js'
import type { Core } from '../../core.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { invalidToken } from '../../errors/credential-errors.js'
import { signUp } from '../passwords/sign-up.js'
import type { UserRecord } from '../../storage/ports.js'
import { magicLinkPurpose } from './send-magic-link.js'

export interface ConsumedMagicLink {
  user: UserRecord
  /** The absolute URL the browser should land on (checked against the allow-list when the link was made). */
  redirectTo: string
}

const invalidLink = () => invalidToken('The link is invalid, already used or expired.')

/** The user of a link created under `createUsers`, made now that the address is proven. */
async function createLinkUser(core: Core, email: string): Promise<UserRecord> {
  try {
    return await signUp(core, { email, password: null })
  } catch (error) {
    // Two links to one new address opened at once: the other one created the account.
    const existing = await core.storage.users.getByEmail(email)
    if (existing === null) throw error
    return existing
  }
}

/**
 * Uses up a magic-link token (atomically: of concurrent callers exactly one succeeds) and answers
 * its user, whose e-mail now counts as verified. 401 INVALID_TOKEN for an unknown, used, expired
 * or superseded token, and for a link sent to an address the account no longer has.
 * `proof.presentedSessionId`: the session the request carried, if any. On the first proof of an
 * unverified address without the account's own complete session, everything set up before it
 * (sessions, tokens, second factors, the password) ends: see secureProvenMailbox. Omitting it is
 * the safe default.
 */
export async function consumeMagicLink(core: Core, token: string, proof: MailboxProof = {}): Promise<ConsumedMagicLink> {
  if (token.length === 0 || token.length > 256) throw invalidLink()
  const now = core.config.clock.now()
  const record = await core.storage.verifications.consume(magicLinkPurpose, sha256Hex(token), now)
  const email = record?.data?.email
  const redirectTo = record?.data?.redirectTo
  if (record === null || email === undefined || redirectTo === undefined) throw invalidLink()
  const user = record.userId === null ? await createLinkUser(core, email) : await core.storage.users.getById(record.userId)
  if (user === null || user.email !== email) throw invalidLink()
  return { user: await secureProvenMailbox(core, user, proof), redirectTo }
}
