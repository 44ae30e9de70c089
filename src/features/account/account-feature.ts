import { defineFeature } from '../feature.js'
import { accountRoutes } from './account-routes.js'
import { unregisterUser } from './unregister-user.js'
import { accountOptions } from './account-options.js'

export interface AccountApi {
  users: {
    /** Deletes the user and everything every installed feature keeps about them (sessions first). Nothing happens for an unknown id. */
    unregister(input: { userId: string }): Promise<void>
  }
}

/** The profile (read, change name or e-mail) and deleting one's own account. */
export const accountFeature = defineFeature({
  name: 'account',
  options: accountOptions,
  stores: ['users', 'verifications'],
  routes: accountRoutes,
  gate: (core): AccountApi => ({ users: { unregister: ({ userId }) => unregisterUser(core, userId) } }),
})
