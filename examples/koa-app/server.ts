import { createConsoleMailer, createConsoleSmsSender } from '../../src/index.js'
import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3001)
// Magic links, codes and reset links are printed here instead of being sent.
const { app } = createApp({
  ...demoOrigins(port),
  delivery: { email: createConsoleMailer(), sms: createConsoleSmsSender(), phoneNumberOf: () => '+15550100' },
})
const server = listenOrExit(app.callback(), port, (actual) => {
  console.log(`gatehouse Koa demo on http://localhost:${actual} (auth routes under /auth, guarded GET /api/projects)`)
})
process.once('SIGTERM', () => server.close())
process.once('SIGINT', () => server.close())
