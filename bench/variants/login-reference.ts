// Reference login on Express: argon2id verify (default parameters) off the event loop, then a
// random session token whose SHA-256 goes into a Map; GET /me uses the reference guard.
// The floor for gatehouse's POST /auth/session.
import { hash, verify } from '@node-rs/argon2'
import express from 'express'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { cookieHeaderFrom } from './shared/cookie-header.js'
import { argon2idDefaults, benchUser } from './shared/credentials.js'
import { listenOnLoopback } from './shared/listen.js'
import { postJson } from './shared/post-json.js'
import { ReferenceSessions } from './shared/reference-guard.js'

const sessions = new ReferenceSessions<typeof benchUserJson>('sid')
const passwordHash = await hash(benchUser.password, argon2idDefaults)

const app = express()
app.post('/login', express.json(), async (req, res) => {
  const body = req.body as { email?: unknown; password?: unknown }
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
  const ok = typeof body.password === 'string' && (await verify(passwordHash, body.password)) && email === benchUser.email
  if (!ok) {
    res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong e-mail or password.' } })
    return
  }
  const token = randomSecret()
  sessions.add(token, benchUserJson)
  res.cookie('sid', token, { httpOnly: true, sameSite: 'lax', path: '/' }).json({ user: benchUserJson })
})
app.get('/me', (req, res) => {
  const user = sessions.userFor(req.headers.cookie)
  if (user === undefined) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
    return
  }
  res.json(user)
})

const { port, origin } = await listenOnLoopback(app)
const signedIn = await postJson(`${origin}/login`, { email: benchUser.email, password: benchUser.password })
announceReady(port, { cookie: cookieHeaderFrom(signedIn) })
