import { z } from 'zod'
import { notFound } from '../../errors/auth-error.js'
import { invalidCredentials } from '../../errors/credential-errors.js'
import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { invalidSecondFactor } from '../second-factor/second-factor-errors.js'
import { throttleFactorAttempt } from '../second-factor/throttle-factor-attempt.js'
import { confirmTotp } from './confirm-totp.js'
import { disableTotp } from './disable-totp.js'
import { enableTotp } from './enable-totp.js'
import { verifyTotp } from './verify-totp.js'

const codeField = z.string().min(1).max(64)
const confirmBody = z.object({ code: codeField })
const disableBody = z
  .object({ code: codeField.optional(), password: z.string().min(1).max(4096).optional() })
  .refine((body) => (body.code === undefined) !== (body.password === undefined), 'give either code or password')

const noStore = [noStoreHeader]

export const totpRoutes = [
  defineRoute({
    name: 'totpEnable',
    method: 'POST',
    path: '/totp',
    access: 'user',
    async handle({ core, auth }) {
      return { status: 200, body: await enableTotp(core, auth.user.id), headers: noStore }
    },
  }),
  defineRoute({
    name: 'totpConfirm',
    method: 'POST',
    path: '/totp/confirm',
    access: 'user',
    input: { body: confirmBody },
    async handle({ core, req, auth, input }) {
      const { code } = input.body
      return { status: 200, body: { recoveryCodes: await confirmTotp(core, auth.user.id, code) }, headers: noStore }
    },
  }),
  defineRoute({
    name: 'totpDisable',
    method: 'DELETE',
    path: '/totp',
    access: 'user',
    input: { body: disableBody },
    async handle({ core, req, auth, input }) {
      const { code, password } = input.body
      const { user } = auth
      if ((await core.storage.factors.listByUser(user.id, 'totp')).length === 0) throw notFound('TOTP')
      if (code !== undefined) {
        if (!(await verifyTotp(core, user.id, code))) throw invalidSecondFactor()
      } else {
        const hash = user.passwordHash
        const passed = await throttleFactorAttempt(core, user.id, 'password', async () => hash !== null && core.passwords.verify(hash, password!))
        if (!passed) throw invalidCredentials('The password is wrong.')
      }
      await disableTotp(core, user.id)
      return { status: 204 }
    },
  }),
]
