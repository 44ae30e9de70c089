import type { Core } from '../../core.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import type { UserRecord } from '../../storage/ports.js'

export interface PasswordLoginInput {
  /** Normalised already. */
  email: string
  password: string
  ip?: string | undefined
}

const wrongEmailOrPassword = () => invalidCredentials('The e-mail or password is wrong.')

/**
 * The user whose password this is, or 401 INVALID_CREDENTIALS. An unknown e-mail costs the same
 * argon2 work as a wrong password and gets the same answer, so neither time nor text tells
 * whether an account exists. Attempts are limited per account and per IP; success clears the
 * account's counter. A hash made with old parameters is replaced.
 */
export async function verifyPasswordLogin(core: Core, input: PasswordLoginInput): Promise<UserRecord> {
  const { rateLimits } = core.config
  const accountKey = `login:account:${input.email}`
  if (input.ip !== undefined) await enforceRateLimit(core, `login:ip:${input.ip}`, rateLimits.loginPerIp)
  await enforceRateLimit(core, accountKey, rateLimits.loginPerAccount)

  const user = await core.storage.users.getByEmail(input.email)
  if (user === null || user.passwordHash === null) {
    await core.passwords.verifyNothing(input.password)
    throw wrongEmailOrPassword()
  }
  if (!(await core.passwords.verify(user.passwordHash, input.password))) throw wrongEmailOrPassword()

  await core.storage.limits.reset(accountKey)
  if (core.passwords.needsRehash(user.passwordHash)) {
    user.passwordHash = await core.passwords.hash(input.password)
    await core.storage.users.update(user.id, { passwordHash: user.passwordHash })
  }
  return user
}
