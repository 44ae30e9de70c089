import type { Core } from '../../core.js'
import { createRecordId } from '../../crypto/random-token.js'
import { emailTaken } from '../../errors/account-errors.js'
import type { UserRecord } from '../../storage/ports.js'
import { checkNewPassword } from './check-new-password.js'
import { type ProfileValue, initialProfile } from '../../config/profile-field-options.js'

export interface SignUpInput {
  /** Normalised already (see normalizeEmail). */
  email: string
  /** Null for an account that signs in without a password. */
  password: string | null
  name?: string | null | undefined
  /** Profile field values over their defaults (`profileFields`), already checked. */
  profile?: Record<string, ProfileValue> | undefined
}

/** Creates a user; 409 CONFLICT when the e-mail is taken. */
export async function signUp(core: Core, input: SignUpInput): Promise<UserRecord> {
  if (input.password !== null) await checkNewPassword(core, input.password, input.email, 'password')
  const now = core.config.clock.now()
  const user: UserRecord = {
    id: await createRecordId(core.config, 'user'),
    email: input.email,
    name: input.name ?? null,
    passwordHash: input.password === null ? null : await core.passwords.hash(input.password),
    emailVerifiedAt: null,
    createdAt: now,
    updatedAt: now,
  }
  const profile = initialProfile(core.config.profileFields, input.profile)
  if (profile !== undefined) user.profile = profile
  const outcome = await core.storage.users.create(user)
  if (outcome === 'email_taken') throw emailTaken()
  return user
}
