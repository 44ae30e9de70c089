import { createConsoleMailer, createConsoleSmsSender } from '../../src/index.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
// Magic links, codes and reset links are printed here instead of being sent.
const { app } = createApp({ delivery: { email: createConsoleMailer(), sms: createConsoleSmsSender(), phoneNumberOf: () => '+15550100' } })
app.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse Express demo on http://localhost:${port}`)
  console.log(`  curl -i -X POST localhost:${port}/auth/signup -H 'content-type: application/json' -d '{"email":"me@example.com","password":"correct horse battery"}'`)
  console.log(`  then GET /api/projects with the cookie, or POST /auth/session?cookie=false and use the token as Bearer`)
  console.log(`  POST /auth/magic-link {"email":"me@example.com"} prints a sign-in link here`)
})
