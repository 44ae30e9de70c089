import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createGatehouse } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, frameworks } from '../support/example-apps.js'
import { mountHost } from '../support/mount-host.js'

const password = 'long enough pw'

describe.each(frameworks)('%s: login with an access client, and secondFactor.keepSessionToken', (framework) => {
  it('begins a session for the access client user; a revoked client gets 401', async () => {
    const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} } })
    const app = mountHost(framework, gate)
    const user = await gate.users.signUp({ email: 'a@example.com', password })
    const client = await gate.tokens.activateAccessClient({ userId: user.id, name: 'pos' })
    const login = await request(app).post('/auth/session?cookie=false').set('Access-Client-Token', client.token)
    expect(login.status).toBe(200)
    expect(login.body.user.id).toBe(user.id)
    expect((await request(app).get('/auth/session').set('authorization', `Bearer ${login.body.token}`)).status).toBe(200)
    await gate.tokens.revoke({ userId: user.id, tokenId: client.id, kind: 'access_client' })
    expect((await request(app).post('/auth/session').set('Access-Client-Token', client.token)).status).toBe(401)
  })

  it('keeps the token when completing the second factor only with the option', async () => {
    for (const keepSessionToken of [true, false]) {
      const gate = createGatehouse({ baseUrl: 'http://app.test', clock: createFixedClock(), passwords: fastHashing, logger: { error: () => {} }, secondFactor: { keepSessionToken } })
      const app = mountHost(framework, gate)
      const user = await gate.users.signUp({ email: 'a@example.com', password })
      await gate.secondFactor.setSecondaryPassword({ userId: user.id, password: 'the secondary pw' })
      const pending = await request(app).post('/auth/session?cookie=false').send({ email: 'a@example.com', password })
      const bearer = `Bearer ${pending.body.token}`
      const verify = await request(app).post('/auth/session/second-factor?cookie=false').set('authorization', bearer).send({ method: 'secondary_password', code: 'the secondary pw' })
      expect(verify.status).toBe(200)
      expect(verify.body.token === pending.body.token).toBe(keepSessionToken)
      expect((await request(app).get('/auth/session').set('authorization', bearer)).status).toBe(keepSessionToken ? 200 : 401)
    }
  })
})
