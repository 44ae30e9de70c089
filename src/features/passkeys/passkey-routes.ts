import { z } from 'zod'
import { clientIpKey } from '../../http/client-ip-key.js'
import { idParams } from '../../http/id-params.js'
import { enforceRateLimit } from '../../http/rate-limit.js'
import { noStoreHeader } from '../../http/no-store.js'
import { defineRoute } from '../../http/route.js'
import { answerSession } from '../../http/session-answer.js'
import type { AuthResponse } from '../../http/types.js'
import { completeSecondFactor } from '../second-factor/complete-second-factor.js'
import { startSession } from '../sessions/start-session.js'
import { clearedCeremonyCookie } from './passkey-challenge.js'
import { listPasskeyFactors, toPublicPasskey } from './passkey-factor.js'
import { passkeyOptions } from './passkey-options.js'
import { authenticationResponse, passkeyName, registrationResponse } from './passkey-response.js'
import { finishPasskeyRegistration, startPasskeyRegistration } from './register-passkey.js'
import { removePasskey } from './remove-passkey.js'
import { renamePasskey } from './rename-passkey.js'
import { startPasskeySignIn, verifyPasskeySignIn } from './passkey-sign-in.js'

const registerBody = z.object({ response: registrationResponse, name: passkeyName.optional() })
const signInBody = z.object({ response: authenticationResponse })
const renameBody = z.object({ name: passkeyName })

/** Adds a cookie to an answer that already sets some. */
function withCookie(response: AuthResponse, cookie: NonNullable<AuthResponse['cookies']>[number]): AuthResponse {
  return { ...response, cookies: [...(response.cookies ?? []), cookie] }
}

export const passkeyRoutes = [
  defineRoute({
    name: 'passkeyRegisterOptions',
    method: 'POST',
    path: '/passkeys/register/options',
    access: 'user',
    async handle({ core, auth }) {
      const { options, cookie } = await startPasskeyRegistration(core, auth.user)
      return { status: 200, body: options, cookies: [cookie], headers: [noStoreHeader] }
    },
  }),
  defineRoute({
    name: 'passkeyRegister',
    method: 'POST',
    path: '/passkeys/register',
    access: 'user',
    input: { body: registerBody },
    async handle({ core, req, auth, input: { body } }) {
      const factor = await finishPasskeyRegistration(core, req, auth.user, body)
      return { status: 201, body: toPublicPasskey(factor), cookies: [clearedCeremonyCookie(core)] }
    },
  }),
  defineRoute({
    name: 'passkeyLoginOptions',
    method: 'POST',
    path: '/passkeys/login/options',
    access: 'public',
    async handle({ core, req }) {
      // Anyone may ask, and each answer stores a challenge: bounded per client.
      if (req.ip !== undefined) await enforceRateLimit(core, `passkey_sign_in:ip:${clientIpKey(req.ip)}`, passkeyOptions.of(core).rateLimits.signInPerIp)
      const { options, cookie } = await startPasskeySignIn(core, req)
      return { status: 200, body: options, cookies: [cookie], headers: [noStoreHeader] }
    },
  }),
  defineRoute({
    name: 'passkeyLogin',
    method: 'POST',
    path: '/passkeys/login',
    access: 'public',
    input: { body: signInBody },
    async handle({ core, req, input: { body } }) {
      const { user, pendingSession } = await verifyPasskeySignIn(core, req, body.response)
      const client = { ip: req.ip, userAgent: req.headers.get('user-agent') }
      // The second step of a pending session, or a sign-in: a user-verified passkey is two factors by itself.
      const started =
        pendingSession === null
          ? await startSession(core, req, user, 'passkey', { multiFactor: true })
          : { user, issued: await completeSecondFactor(core, pendingSession, 'passkey', client), secondFactors: [] }
      return withCookie(answerSession(core, req, started), clearedCeremonyCookie(core))
    },
  }),
  defineRoute({
    name: 'passkeyList',
    method: 'GET',
    path: '/passkeys',
    access: 'user',
    async handle({ core, auth }) {
      return { status: 200, body: (await listPasskeyFactors(core, auth.user.id)).map(toPublicPasskey) }
    },
  }),
  defineRoute({
    name: 'passkeyRename',
    method: 'PATCH',
    path: '/passkeys/:id',
    access: 'user',
    input: { params: idParams, body: renameBody },
    async handle({ core, auth, input: { params, body } }) {
      return { status: 200, body: await renamePasskey(core, auth.user.id, params.id, body.name) }
    },
  }),
  defineRoute({
    name: 'passkeyDelete',
    method: 'DELETE',
    path: '/passkeys/:id',
    access: 'user',
    input: { params: idParams },
    async handle({ core, auth, input: { params } }) {
      await removePasskey(core, auth.user.id, params.id)
      return { status: 204 }
    },
  }),
]
