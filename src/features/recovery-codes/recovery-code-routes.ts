import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.js'

export const recoveryCodeRoutes = [
  defineRoute({
    name: 'recoveryCodesRegenerate',
    method: 'POST',
    path: '/recovery-codes',
    access: 'user',
    async handle({ core, req, auth }) {
      const recoveryCodes = await regenerateRecoveryCodes(core, auth.user.id)
      await core.recordEvent({ type: 'factor_added', factor: 'recovery_code', userId: auth.user.id, sessionId: auth.session?.id }, req)
      return { status: 200, body: { recoveryCodes }, headers: [noStoreHeader] }
    },
  }),
]
