import { listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
// Memory storage; magic links are printed here instead of mailed.
const { listener, tenants } = await createApp({ baseUrl: process.env.GATEHOUSE_BASE_URL ?? `http://localhost:${port}` })
const tenant = await tenants.addTenant({ name: 'Demo tenant' })
await tenants.addUser({ tenantId: tenant.tenantId, userId: 'user-1', email: 'user-1@example.com' })

listenOrExit(listener, port, (actual) => {
  const url = `http://localhost:${actual}`
  const auth = `-H 'authorization: Bearer ${tenant.token}'`
  console.log(`Lagrello's auth API (gatehouse) on ${url}`)
  console.log(`  tenant token: ${tenant.token}   user: userId 'user-1', user-1@example.com`)
  console.log(`  magic link:  curl -i -X POST ${url}/v1/users/user-1/email ${auth}`)
  console.log(`               (the link is printed here; its last segment is the token)`)
  console.log(`               curl -i '${url}/v1/users/email?payload=<token>' ${auth}`)
  console.log(`  TOTP:        curl -i -X POST ${url}/v1/users/user-1/totp ${auth} -H 'content-type: application/json' -d '{"enable":true}'`)
  console.log(`               curl -i '${url}/v1/users/user-1/totp?payload=<6-digit code>' ${auth}`)
})
