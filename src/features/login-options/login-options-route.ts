import { defineRoute } from '../../http/route.js'

/** What a login page needs to know to offer the right ways in (Semaphore's and Cyclos's login data): each feature adds its part. */
export const loginOptionsRoute = defineRoute({
  name: 'loginOptions',
  method: 'GET',
  path: '/login-options',
  access: 'public',
  async handle({ core }) {
    return { status: 200, body: core.features.loginOptions() }
  },
})
