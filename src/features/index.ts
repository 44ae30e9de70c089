import type { FeaturesRouteName } from './feature.js'
import { accountFeature } from './account/account-feature.js'
import { auditFeature } from './audit/audit-feature.js'
import { emailVerificationFeature } from './email-verification/email-verification-feature.js'
import { federationFeature } from './federation/federation-feature.js'
import { invitationsFeature } from './invitations/invitations-feature.js'
import { loginOptionsFeature } from './login-options/login-options-feature.js'
import { magicLinksFeature } from './magic-links/magic-links-feature.js'
import { openApiFeature } from './open-api/open-api-feature.js'
import { oidcFeature } from './oidc/oidc-feature.js'
import { otpFeature } from './otp/otp-feature.js'
import { passkeysFeature } from './passkeys/passkeys-feature.js'
import { passwordResetFeature } from './password-reset/password-reset-feature.js'
import { passwordsFeature } from './passwords/passwords-feature.js'
import { samlFeature } from './saml/saml-feature.js'
import { recoveryCodesFeature } from './recovery-codes/recovery-codes-feature.js'
import { secondFactorFeature } from './second-factor/second-factor-feature.js'
import { sessionsFeature } from './sessions/sessions-feature.js'
import { tokensFeature } from './tokens/tokens-feature.js'
import { totpFeature } from './totp/totp-feature.js'
import { workspacesFeature } from './workspaces/workspaces-feature.js'

/**
 * Every built-in feature, in the order of the README's route table. Order matters twice: routes
 * with parameters match in this order, and user deletion runs each feature's part in this order
 * (sessions early, so nobody acts as the user while the rest goes).
 */
export const FEATURES = [
  passwordsFeature,
  sessionsFeature,
  accountFeature,
  loginOptionsFeature,
  magicLinksFeature,
  otpFeature,
  passwordResetFeature,
  emailVerificationFeature,
  totpFeature,
  recoveryCodesFeature,
  secondFactorFeature,
  passkeysFeature,
  tokensFeature,
  workspacesFeature,
  invitationsFeature,
  samlFeature,
  federationFeature,
  oidcFeature,
  auditFeature,
  openApiFeature,
] as const

/** The name of every built-in route, derived from FEATURES: a new feature's routes join it by themselves. */
export type RouteName = FeaturesRouteName<typeof FEATURES>
