// Bare Express 5: GET /me answers the user JSON with no authentication at all (the baseline).
import express from 'express'
import { announceReady } from './shared/announce.js'
import { benchUserJson, randomSecret } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'

const app = express()
app.get('/me', (_req, res) => {
  res.json(benchUserJson)
})

const { port } = await listenOnLoopback(app)
announceReady(port, { cookie: `sid=${randomSecret()}` })
