import { createConsoleMailer, createConsoleSmsSender } from '../../src/index.js'
import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'
import { createDemoStorage } from './demo-storage.js'

const port = Number(process.env.PORT ?? 3000)
const demo = await createDemoStorage(process.env)
// Magic links, codes and reset links are printed here instead of being sent.
const { app } = createApp({
  ...demoOrigins(port),
  storage: demo.storage,
  delivery: { email: createConsoleMailer(), sms: createConsoleSmsSender(), phoneNumberOf: () => '+15550100' },
})
const server = listenOrExit(app, port, (actual) => {
  console.log(`gatehouse Express demo on http://localhost:${actual} (storage: ${demo.description})`)
  console.log(`  curl -i -X POST localhost:${actual}/auth/signup -H 'content-type: application/json' -d '{"email":"me@example.com","password":"correct horse battery"}'`)
  console.log(`  then GET /api/projects with the cookie, or POST /auth/session?cookie=false and use the token as Bearer`)
  console.log(`  POST /auth/magic-link {"email":"me@example.com"} prints a sign-in link here`)
})
const stop = () => server.close(() => void demo.close())
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
