import type { Core } from '../../core.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import type { UserRecord } from '../../storage/ports.js'
import { type CheckLimit, runThrottledCheck } from '../../http/throttled-check.js'

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
 * whether an account exists. Failed attempts are limited per account and per IP; a success clears
 * the account's count and gives back its slot of the IP's. A hash made with old parameters is replaced.
 */
export async function verifyPasswordLogin(core: Core, input: PasswordLoginInput): Promise<UserRecord> {
  const { rateLimits } = core.config
  const limits: CheckLimit[] = [{ key: `login:account:${input.email}`, rule: rateLimits.loginPerAccount, onPass: 'reset' }]
  if (input.ip !== undefined) limits.unshift({ key: `login:ip:${clientIpKey(input.ip)}`, rule: rateLimits.loginPerIp, onPass: 'release' })

  const user = await core.storage.users.getByEmail(input.email)
  const passwordHash = user?.passwordHash ?? null
  const passed = await runThrottledCheck(core, limits, async () => {
    if (passwordHash !== null) return core.passwords.verify(passwordHash, input.password)
    await core.passwords.verifyNothing(input.password)
    return false
  })
  if (!passed || user === null || passwordHash === null) throw wrongEmailOrPassword()

  if (core.passwords.needsRehash(passwordHash)) {
    user.passwordHash = await core.passwords.hash(input.password)
    await core.storage.users.update(user.id, { passwordHash: user.passwordHash })
  }
  return user
}
