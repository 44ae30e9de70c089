// Express + the design's reference guard (cookie -> SHA-256 -> Map): the floor for a session guard.
import express from 'express'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'
import { ReferenceSessions } from './shared/reference-guard.js'

const sessions = new ReferenceSessions<typeof benchUserJson>('sid')
const token = randomSecret()
sessions.add(token, benchUserJson)

const app = express()
app.get('/me', (req, res) => {
  const user = sessions.userFor(req.headers.cookie)
  if (user === undefined) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
    return
  }
  res.json(user)
})

app.post('/bench/revoke', (_req, res) => {
  sessions.remove(token)
  res.json({})
})

const { port } = await listenOnLoopback(app)
announceReady(port, { cookie: `sid=${token}` })
