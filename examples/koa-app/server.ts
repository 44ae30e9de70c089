import { createConsoleMailer, createConsoleSmsSender } from '../../src/index.js'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3001)
// Magic links, codes and reset links are printed here instead of being sent.
const { app } = createApp({ delivery: { email: createConsoleMailer(), sms: createConsoleSmsSender(), phoneNumberOf: () => '+15550100' } })
app.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse Koa demo on http://localhost:${port} (auth routes under /auth, guarded GET /api/projects)`)
})
