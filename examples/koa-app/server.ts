import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3001)
const { app } = createApp()
app.listen(port, '127.0.0.1', () => {
  console.log(`gatehouse Koa demo on http://localhost:${port} (auth routes under /auth, guarded GET /api/projects)`)
})
