import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.js'

export const recoveryCodeRoutes = [
  defineRoute({
    name: 'recoveryCodesRegenerate',
    method: 'POST',
    path: '/recovery-codes',
    access: 'user',
    async handle({ core, auth }) {
      return { status: 200, body: { recoveryCodes: await regenerateRecoveryCodes(core, auth.user.id) }, headers: [noStoreHeader] }
    },
  }),
]
