import { accountRoutes } from '../features/account/account-routes.js'
import { magicLinkRoutes } from '../features/magic-links/magic-link-routes.js'
import { otpRoutes } from '../features/otp/otp-routes.js'
import { passwordResetRoutes } from '../features/password-reset/password-reset-routes.js'
import { passwordRoutes } from '../features/passwords/password-routes.js'
import { secondFactorRoutes } from '../features/second-factor/second-factor-routes.js'
import { sessionRoutes } from '../features/sessions/session-routes.js'
import { tokenRoutes } from '../features/tokens/token-routes.js'
import { totpRoutes } from '../features/totp/totp-routes.js'
import { loginOptionsRoute } from '../features/login-options/login-options-route.js'
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
