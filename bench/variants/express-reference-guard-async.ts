// The reference guard of express-reference-guard, with its answer handed on one promise later (as
// any guard that awaits a store does): what the asynchronous continuation alone costs Express.
import express from 'express'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'
import { ReferenceSessions } from './shared/reference-guard.js'

const sessions = new ReferenceSessions<typeof benchUserJson>('sid')
const token = randomSecret()
sessions.add(token, benchUserJson)

const users = new WeakMap<express.Request, typeof benchUserJson>()
const app = express()
app.get(
  '/me',
  (req, res, next) => {
    Promise.resolve(sessions.userFor(req.headers.cookie)).then((user) => {
      if (user === undefined) {
        res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
        return
      }
      users.set(req, user)
      next()
    }, next)
  },
  (req, res) => {
    res.json(users.get(req))
  },
)

app.post('/bench/revoke', (_req, res) => {
  sessions.remove(token)
  res.json({})
})

const { port } = await listenOnLoopback(app)
announceReady(port, { cookie: `sid=${token}` })
