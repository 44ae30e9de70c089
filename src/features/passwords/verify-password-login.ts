import type { Core } from '../../core.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import { clientIpKey, clientNetworkKey } from '../../http/client-ip-key.js'
import type { ChallengeRequest } from '../../config/base-options.js'
import { AuthError } from '../../errors/auth-error.js'
import type { UserRecord } from '../../storage/ports.js'
import { type CheckLimit, runThrottledCheck } from '../../http/throttled-check.js'

export interface PasswordLoginInput {
  /** Normalised already. */
  email: string
  password: string
  ip?: string | undefined
  /** The request, for `loginChallenge.verifyHuman`; without it a challenged login is refused. */
  req?: ChallengeRequest | undefined
}

const wrongEmailOrPassword = () => invalidCredentials('The e-mail or password is wrong.')

/** Whether the request carries a solved challenge; a hook that throws is a failed challenge, not a 500. */
async function passesChallenge(verifyHuman: (req: ChallengeRequest) => boolean | Promise<boolean>, req: ChallengeRequest | undefined): Promise<boolean> {
  if (req === undefined) return false
  try {
    return (await verifyHuman(req)) === true
  } catch {
    return false
  }
}

/**
 * The user whose password this is, or 401 INVALID_CREDENTIALS. An unknown e-mail costs the same
 * argon2 work as a wrong password and gets the same answer, so neither time nor text tells
 * whether an account exists. Failed attempts are limited per account, per IP and per network
 * (IPv4 /24, IPv6 /64); a success clears the account's count and gives back its slot of the
 * others. Past `loginChallenge.afterFailures` failures of the account, the attempt must also pass
 * `verifyHuman` (403 HUMAN_VERIFICATION_REQUIRED; no password is checked, so it counts no failure), known account or not.
 * A hash made with old parameters is replaced.
 */
export async function verifyPasswordLogin(core: Core, input: PasswordLoginInput): Promise<UserRecord> {
  try {
    return await checkPasswordLogin(core, input)
  } catch (error) {
    if (error instanceof AuthError && error.status < 500) {
      const user = await core.storage.users.getByEmail(input.email)
      await core.recordEvent({ type: 'login_failed', reason: error.code, email: input.email, userId: user?.id ?? null }, input.req ?? { ip: input.ip, headers: noHeaders })
    }
    throw error
  }
}

const noHeaders = { get: () => null }

async function checkPasswordLogin(core: Core, input: PasswordLoginInput): Promise<UserRecord> {
  const { rateLimits, loginChallenge } = core.config
  const limits: CheckLimit[] = [{ key: `login:account:${input.email}`, rule: rateLimits.loginPerAccount, onPass: 'reset' }]
  if (input.ip !== undefined) {
    limits.unshift(
      { key: `login:ip:${clientIpKey(input.ip)}`, rule: rateLimits.loginPerIp, onPass: 'release' },
      { key: `login:network:${clientNetworkKey(input.ip)}`, rule: rateLimits.loginPerNetwork, onPass: 'release' },
    )
  }

  const user = await core.storage.users.getByEmail(input.email)
  const passwordHash = user?.passwordHash ?? null
  const admit = async (counts: number[]) => {
    // The account's count includes this attempt's slot, so earlier failures are one less.
    const failures = (counts[counts.length - 1] ?? 1) - 1
    if (loginChallenge !== null && failures >= loginChallenge.afterFailures && !(await passesChallenge(loginChallenge.verifyHuman, input.req))) {
      throw new AuthError('HUMAN_VERIFICATION_REQUIRED')
    }
  }
  const check = async () => {
    if (passwordHash !== null) return core.passwords.verify(passwordHash, input.password)
    await core.passwords.verifyNothing(input.password)
    return false
  }
  const passed = await runThrottledCheck(core, limits, check, admit)
  if (!passed || user === null || passwordHash === null) throw wrongEmailOrPassword()

  if (core.passwords.needsRehash(passwordHash)) {
    user.passwordHash = await core.passwords.hash(input.password)
    await core.storage.users.update(user.id, { passwordHash: user.passwordHash })
  }
  return user
}
