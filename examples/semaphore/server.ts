import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3001)
// Memory storage and no OIDC provider: add one with `oidc: { providers: [...] }` (README).
const { listener, gate, userNames } = await createApp(demoOrigins(port))
await gate.users.signUp({ email: 'admin@example.com', password: 'demo password 1', name: 'Admin' })
userNames.add({ userName: 'admin', email: 'admin@example.com' })
const server = listenOrExit(listener, port, (actual) => {
  const url = `http://localhost:${actual}/api`
  console.log(`Semaphore auth API on ${url}`)
  console.log(`  curl -si -c jar -H 'content-type: application/json' -d '{"auth":"admin","password":"demo password 1"}' ${url}/auth/login`)
  console.log(`  curl -s -b jar -X POST ${url}/user/tokens      # {"id":1,...,"token":"ghp_..."}`)
  console.log(`  curl -s -H 'Authorization: Bearer <token>' ${url}/user/tokens`)
})
process.once('SIGTERM', () => server.close())
process.once('SIGINT', () => server.close())
