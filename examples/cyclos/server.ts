import { createConsoleMailer } from '../../src/index.js'
import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3004)
// Reset links and one-time passwords are printed here instead of being sent.
const { listener, gate } = await createApp({ ...demoOrigins(port), delivery: { email: createConsoleMailer() } })
await gate.users.signUp({ email: 'demo@example.com', password: 'demo password 1', name: 'Demo' })
const second = await gate.users.signUp({ email: 'second@example.com', password: 'demo password 2', name: 'Second' })
await gate.secondFactor.setSecondaryPassword({ userId: second.id, password: 'secondary password 2' })
const server = listenOrExit(listener, port, (actual) => {
  console.log(`Cyclos auth API on http://localhost:${actual}/api`)
  console.log(`  curl -u demo@example.com:'demo password 1' -X POST 'http://localhost:${actual}/api/auth/session'`)
  console.log(`  second@example.com / 'demo password 2' also needs the secondary password 'secondary password 2'`)
})
process.once('SIGTERM', () => server.close())
process.once('SIGINT', () => server.close())
