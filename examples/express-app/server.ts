import { createConsoleSmsSender } from '../../src/index.js'
import { demoOrigins, listenOrExit } from '../listen-or-exit.js'
import { createApp } from './app.js'
import { createDemoStorage } from './demo-storage.js'
import { createDemoMailbox } from './demo-web.js'

const port = Number(process.env.PORT ?? 3000)
const demo = await createDemoStorage(process.env)
// Magic links and reset links land in the mailbox page instead of being sent; SMS codes are printed.
const mailbox = createDemoMailbox()
const { app } = createApp(
  {
    ...demoOrigins(port),
    storage: demo.storage,
    delivery: { email: mailbox, sms: createConsoleSmsSender(), phoneNumberOf: () => '+15550100' },
    passwordReset: { linkPath: '/reset.html' },
  },
  { mailbox },
)
const server = listenOrExit(app, port, (actual) => {
  console.log(`gatehouse Express demo on http://localhost:${actual} (storage: ${demo.description}): open it in a browser`)
  console.log(`  curl -i -X POST localhost:${actual}/auth/signup -H 'content-type: application/json' -d '{"email":"me@example.com","password":"correct horse battery"}'`)
  console.log(`  then GET /api/projects with the cookie, or POST /auth/session?cookie=false and use the token as Bearer`)
  console.log(`  mailed links appear on http://localhost:${actual}/mailbox.html`)
})
const stop = () => server.close(() => void demo.close())
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
