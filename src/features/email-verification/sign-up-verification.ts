import type { Core } from '../../core.js'
import { readPreferredLocales } from '../../delivery/choose-locale.js'
import type { CredentialRequest } from '../../http/types.js'
import type { UserRecord } from '../../storage/ports.js'
import { emailVerificationAvailable } from './email-verification-access.js'
import { emailVerificationOptions } from './email-verification-options.js'
import { emailVerificationPurpose, mailVerificationLink } from './send-email-verification.js'

/** With `emailVerification.sendOnSignUp`, mails the new account its verification link after the answer. */
export function queueSignUpVerification(core: Core, req: CredentialRequest, user: UserRecord): void {
  if (!emailVerificationOptions.of(core).sendOnSignUp || !emailVerificationAvailable(core)) return
  const locales = readPreferredLocales(req.headers)
  core.background.run('emailVerificationSend', () =>
    mailVerificationLink(core, user, { purpose: emailVerificationPurpose, to: user.email, data: { email: user.email }, locales }),
  )
}
