// express-session (MemoryStore) + passport-local, the classic Express stack: sign in through
// POST /login, then GET /me reads req.user that passport deserialised from the session.
import { hash, verify } from '@node-rs/argon2'
import express from 'express'
import session from 'express-session'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { announceReady } from './shared/announce.js'
import { argon2idDefaults, benchUser } from './shared/credentials.js'
import { benchUserJson } from './shared/bench-user-record.js'
import { cookieHeaderFrom } from './shared/cookie-header.js'
import { listenOnLoopback } from './shared/listen.js'
import { postJson } from './shared/post-json.js'

type PublicUser = typeof benchUserJson
interface StoredUser {
  user: PublicUser
  passwordHash: string
}

const usersById = new Map<string, StoredUser>()
usersById.set(benchUserJson.id, {
  user: benchUserJson,
  passwordHash: await hash(benchUser.password, argon2idDefaults),
})

passport.use(
  new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
    const found = [...usersById.values()].find((u) => u.user.email === email.trim().toLowerCase())
    if (found === undefined) return done(null, false)
    verify(found.passwordHash, password).then(
      (ok) => done(null, ok ? found.user : false),
      (error: unknown) => done(error),
    )
  }),
)
passport.serializeUser((user, done) => done(null, (user as PublicUser).id))
passport.deserializeUser((id: string, done) => done(null, usersById.get(id)?.user ?? false))

const app = express()
app.use(
  session({
    secret: 'bench-express-session-secret-0123456789',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }),
)
app.use(passport.initialize())
app.use(passport.session())
app.post('/login', express.json(), passport.authenticate('local'), (req, res) => {
  res.json(req.user)
})
app.get('/me', (req, res) => {
  if (req.user === undefined) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
    return
  }
  res.json(req.user)
})

app.post('/bench/revoke', (req, res, next) => {
  req.session.destroy((error: unknown) => (error === undefined || error === null ? res.json({}) : next(error)))
})

const { port, origin } = await listenOnLoopback(app)
const signedIn = await postJson(`${origin}/login`, { email: benchUser.email, password: benchUser.password })
announceReady(port, { cookie: cookieHeaderFrom(signedIn) })
