// iron-session 8 on Express: the session is a sealed (encrypted + MACed) cookie; GET /me unseals it.
import { hash, verify } from '@node-rs/argon2'
import express from 'express'
import { getIronSession, type SessionOptions } from 'iron-session'
import { announceReady } from './shared/announce.js'
import { argon2idDefaults, benchUser } from './shared/credentials.js'
import { benchUserJson } from './shared/bench-user-record.js'
import { cookieHeaderFrom } from './shared/cookie-header.js'
import { listenOnLoopback } from './shared/listen.js'
import { postJson } from './shared/post-json.js'

interface SessionData {
  user?: typeof benchUserJson
}

const sessionOptions: SessionOptions = {
  password: 'bench-iron-session-password-0123456789-abcdef',
  cookieName: 'iron',
  cookieOptions: { secure: false, httpOnly: true, sameSite: 'lax' },
}
const passwordHash = await hash(benchUser.password, argon2idDefaults)

const app = express()
app.post('/login', express.json(), async (req, res) => {
  const body = req.body as { email?: unknown; password?: unknown }
  const ok =
    body.email === benchUser.email && typeof body.password === 'string' && (await verify(passwordHash, body.password))
  if (!ok) {
    res.status(401).json({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong e-mail or password.' } })
    return
  }
  const session = await getIronSession<SessionData>(req, res, sessionOptions)
  session.user = benchUserJson
  await session.save()
  res.json(session.user)
})
app.get('/me', async (req, res) => {
  const session = await getIronSession<SessionData>(req, res, sessionOptions)
  if (session.user === undefined) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
    return
  }
  res.json(session.user)
})

// A sealed cookie carries the session itself: the server keeps nothing it could revoke.
app.post('/bench/revoke', (_req, res) => {
  res.json({ note: 'stateless: nothing to revoke server-side, accepted until the cookie expires' })
})

const { port, origin } = await listenOnLoopback(app)
const signedIn = await postJson(`${origin}/login`, { email: benchUser.email, password: benchUser.password })
announceReady(port, { cookie: cookieHeaderFrom(signedIn) })
