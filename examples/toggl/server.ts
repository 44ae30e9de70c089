import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
// Memory storage; SSO confirmation codes are printed here instead of being mailed.
const { listener, gate } = await createApp(demoOrigins(port))
const demo = await gate.users.signUp({ email: 'demo@example.com', password: 'demo password 1', name: 'Demo' })
const workspace = await gate.workspaces.create({ name: 'Demo workspace', ownerId: demo.id })
const server = listenOrExit(listener, port, (actual) => {
  const api = `http://localhost:${actual}/api/v9`
  console.log(`Toggl's auth API (gatehouse) on ${api}`)
  console.log(`  sign in:      curl -i -u demo@example.com:'demo password 1' -X POST ${api}/me/sessions -d '{"remember_me":true}' -H 'content-type: application/json'`)
  console.log(`  API token:    curl -u demo@example.com:'demo password 1' -X POST ${api}/me/reset_token    (then -u <token>:api_token)`)
  console.log(`  SSO config:   curl -u demo@example.com:'demo password 1' ${api}/workspaces/${workspace.id}/sso   (404 until POSTed, see README)`)
  console.log(`  sign up:      curl -X POST ${api}/signup -H 'content-type: application/json' -d '{"email":"new@example.com","password":"a long password","tos_accepted":true}'`)
})
process.once('SIGTERM', () => server.close())
process.once('SIGINT', () => server.close())
