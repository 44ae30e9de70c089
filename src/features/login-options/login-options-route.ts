import type { RouteDefinition } from '../../http/route.js'
import { describePasswordPolicy } from '../passwords/password-policy.js'

/** What a login page needs to know to offer the right ways in (Semaphore's and Cyclos's login data). */
export const loginOptionsRoute: RouteDefinition = {
  name: 'loginOptions',
  method: 'GET',
  path: '/login-options',
  access: 'public',
  async handle({ core }) {
    return {
      status: 200,
      body: {
        password: true,
        signup: core.config.signupEnabled,
        totp: true,
        magicLink: core.config.magicLinks.enabled && core.config.delivery.email !== null,
        otp: [...(core.config.delivery.email === null ? [] : ['email']), ...(core.config.delivery.sms === null ? [] : ['sms'])],
        oidc: [],
        saml: false,
        apiToken: true,
        accessClient: true,
        passwordPolicy: describePasswordPolicy(core.config),
      },
    }
  },
}
