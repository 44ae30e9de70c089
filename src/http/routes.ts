import { accountRoutes } from '../account/account-routes.js'
import { magicLinkRoutes } from '../magic-links/magic-link-routes.js'
import { otpRoutes } from '../otp/otp-routes.js'
import { passwordResetRoutes } from '../passwords/password-reset-routes.js'
import { passwordRoutes } from '../passwords/password-routes.js'
import { secondFactorRoutes } from '../second-factor/second-factor-routes.js'
import { sessionRoutes } from '../sessions/session-routes.js'
import { tokenRoutes } from '../tokens/token-routes.js'
import { totpRoutes } from '../totp/totp-routes.js'
import { loginOptionsRoute } from './login-options-route.js'
import type { RouteDefinition } from './route.js'

/** Every route gatehouse offers, in the order of the README's route table. */
export const allRoutes: RouteDefinition[] = [
  ...passwordRoutes,
  ...sessionRoutes,
  ...accountRoutes,
  loginOptionsRoute,
  ...magicLinkRoutes,
  ...otpRoutes,
  ...passwordResetRoutes,
  ...totpRoutes,
  ...secondFactorRoutes,
  ...tokenRoutes,
]
