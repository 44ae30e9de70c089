import { listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3005)
const issuer = process.env.PUPIL_OIDC_ISSUER
const clientId = process.env.PUPIL_OIDC_CLIENT_ID
// Memory storage; invitation mails are printed here. Sign-in needs an identity provider: P11 takes its ID token.
const { listener } = await createApp({
  baseUrl: process.env.GATEHOUSE_BASE_URL ?? `http://localhost:${port}`,
  ...(issuer === undefined || clientId === undefined ? {} : { oidc: { providers: [{ id: 'google', name: 'Google', issuer, clientId, clientSecret: process.env.PUPIL_OIDC_CLIENT_SECRET ?? 'unused' }] } }),
})

listenOrExit(listener, port, (actual) => {
  const url = `http://localhost:${actual}/v2`
  console.log(`Pupil Cloud's auth API (gatehouse) on ${url}`)
  if (issuer === undefined) console.log('  set PUPIL_OIDC_ISSUER and PUPIL_OIDC_CLIENT_ID (e.g. https://accounts.google.com) to sign in with type "google"')
  console.log(`  login:   curl -i -c jar -b 'csrf_token=abc' -X POST ${url}/auth/login -H 'content-type: application/json' \\`)
  console.log(`             -d '{"id_token":"<ID token>","csrf_token":"abc","type":"google"}'`)
  console.log(`  profile: curl -b jar ${url}/auth/profile`)
  console.log(`  token:   curl -b jar -X POST ${url}/auth/tokens -H 'content-type: application/json' -d '{"name":"laptop"}'`)
  console.log(`           curl -H 'api-key: <token>' ${url}/auth/tokens`)
})
