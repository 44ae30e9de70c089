// A stateless JWT (jose, HS256) in the Authorization header: GET /me verifies the signature and
// answers the claims. Fast to check, and nothing on the server can revoke it before it expires.
import express from 'express'
import { jwtVerify, SignJWT } from 'jose'
import { announceReady } from './shared/announce.js'
import { benchUserJson } from './shared/bench-user-record.js'
import { listenOnLoopback } from './shared/listen.js'

const key = new TextEncoder().encode('bench-jwt-secret-0123456789-abcdefghijklmnop')
const token = await new SignJWT({ user: benchUserJson }).setProtectedHeader({ alg: 'HS256' }).setSubject(benchUserJson.id).setExpirationTime('1h').sign(key)

const app = express()
app.get('/me', async (req, res) => {
  const header = req.headers.authorization
  try {
    if (header === undefined || !header.startsWith('Bearer ')) throw new Error('no bearer token')
    const { payload } = await jwtVerify(header.slice('Bearer '.length), key, { algorithms: ['HS256'] })
    res.json(payload['user'])
  } catch {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } })
  }
})
app.post('/bench/revoke', (_req, res) => {
  res.json({ note: 'stateless: nothing to revoke server-side, accepted until the token expires (1 h here)' })
})

const { port } = await listenOnLoopback(app)
announceReady(port, { authorization: `Bearer ${token}` })
