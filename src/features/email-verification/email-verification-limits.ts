import type { Core } from '../../core.js'
import { clientIpKey } from '../../http/client-ip-key.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import type { CredentialRequest } from '../../http/types.js'
import { emailVerificationOptions } from './email-verification-options.js'

/** 429 past the per-IP or per-account cap on verification and e-mail change links; `account` is a user id or an address. */
export async function limitVerificationMail(core: Core, req: CredentialRequest, account: string): Promise<void> {
  const { rateLimits } = emailVerificationOptions.of(core)
  if (req.ip !== undefined) await enforceRateLimit(core, `email_verification:ip:${clientIpKey(req.ip)}`, rateLimits.perIp)
  await enforceRateLimit(core, `email_verification:account:${account}`, rateLimits.perUser)
}
