import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import * as expressAdapter from '../../adapters/express/index.js'
import * as koaAdapter from '../../adapters/koa/index.js'
import { ConfigError, createGatehouse, defineFeature, defineFeatureOptions, defineRoute, memoryStorage, type Core } from '../../src/index.js'
import { createFixedClock } from '../../src/testing/index.js'
import { fastHashing, frameworks, sessionCookieOf, type Framework } from '../support/example-apps.js'

/** A host's own feature, written against the same interface as the built-in ones: per-user notes. */
function createNotesFeature() {
  const notes = new Map<string, string[]>()
  const notesOptions = defineFeatureOptions(
    'notes',
    z.object({ maxLength: z.number().int().positive().max(1000) }).partial().strict(),
    (input: { maxLength?: number } | undefined) => ({ maxLength: input?.maxLength ?? 100 }),
  )
  const addNote = (core: Core, userId: string, text: string) => {
    const { maxLength } = notesOptions.of(core)
    notes.set(userId, [...(notes.get(userId) ?? []), text.slice(0, maxLength)])
  }
  const feature = defineFeature({
    name: 'notes',
    options: notesOptions,
    stores: ['users'],
    routes: [
      defineRoute({
        name: 'noteAdd',
        method: 'POST',
        path: '/notes',
        access: 'user',
        input: { body: z.object({ text: z.string().min(1) }) },
        async handle({ core, auth, input }) {
          addNote(core, auth.user.id, input.body.text)
          return { status: 201, body: { notes: notes.get(auth.user.id) } }
        },
      }),
    ],
    gate: (core: Core) => ({ notes: { add: (userId: string, text: string) => addNote(core, userId, text), of: (userId: string) => notes.get(userId) ?? [] } }),
    loginOptions: () => ({ notes: true }),
    deleteUser: async (_core: Core, userId: string) => {
      notes.delete(userId)
    },
  })
  return { feature, notes }
}

function host(framework: Framework, gate: ReturnType<typeof createGatehouse>) {
  if (framework === 'express') {
    const app = express()
    app.use('/auth', expressAdapter.authRoutes(gate))
    return app
  }
  const app = new Koa()
  app.use(koaAdapter.authRoutes(gate))
  return app.callback()
}

const baseUrl = 'http://app.test'
const origin = { Origin: baseUrl }

describe.each(frameworks)('%s: a feature written outside src/', (framework) => {
  it('has its options validated, mounts its route, joins loginOptions and is cleaned up on unregister', async () => {
    const { feature, notes } = createNotesFeature()
    const gate = createGatehouse({ baseUrl, clock: createFixedClock(), passwords: fastHashing, features: [feature], notes: { maxLength: 5 } })
    expectTypeOf(gate.notes.add).toEqualTypeOf<(userId: string, text: string) => void>()
    const app = host(framework, gate)

    expect((await request(app).get('/auth/login-options')).body).toMatchObject({ notes: true, password: true })
    const signup = await request(app).post('/auth/signup').send({ email: 'n@example.com', password: 'long enough pw' })
    const cookie = sessionCookieOf(signup.headers['set-cookie'])
    const added = await request(app).post('/auth/notes').set('Cookie', cookie).set(origin).send({ text: 'remember the milk' })
    expect(added.status).toBe(201)
    expect(added.body.notes).toEqual(['remem'])
    expect((await request(app).post('/auth/notes').set('Cookie', cookie).set(origin).send({ text: 7 })).status).toBe(400)
    expect((await request(app).post('/auth/notes').send({ text: 'anonymous' })).status).toBe(401)
    expect(gate.routes.map((route) => route.name)).toContain('noteAdd')

    const userId = signup.body.user.id as string
    expect(notes.has(userId)).toBe(true)
    expect((await request(app).post('/auth/unregister').set('Cookie', cookie).set(origin).send({ password: 'long enough pw' })).status).toBe(204)
    expect(notes.has(userId)).toBe(false)
  })
})

describe('the features seam checks what features bring', () => {
  it("lists a feature's bad options with the core's in one ConfigError", () => {
    const { feature } = createNotesFeature()
    let error: unknown
    try {
      createGatehouse({ baseUrl: 'ftp://nope', features: [feature], notes: { maxLength: -1 } })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    expect(problems).toContain('baseUrl')
    expect(problems).toContain('notes.maxLength')
  })

  it('refuses two features with one name, a taken gate function, and route names it does not know', () => {
    const { feature } = createNotesFeature()
    const { feature: again } = createNotesFeature()
    expect(() => createGatehouse({ baseUrl, features: [feature, again] })).toThrow(/two features are named 'notes'/)
    const clash = defineFeature({ name: 'clash', gate: () => ({ sessions: { issue: () => null } }) })
    expect(() => createGatehouse({ baseUrl, features: [clash] })).toThrow(/gate.sessions.issue of feature 'clash' is already taken/)
    const core = defineFeature({ name: 'core-clash', gate: () => ({ config: { x: 1 } }) })
    expect(() => createGatehouse({ baseUrl, features: [core] })).toThrow(/gate.config of feature 'core-clash' is the core's own/)
  })

  it('refuses storage that lacks a store a feature uses, unless memory is chosen for it on purpose', () => {
    const { users, sessions } = memoryStorage()
    expect(() => createGatehouse({ baseUrl, storage: { users, sessions } })).toThrow(/storage.limits: is missing.*limits: memoryStorage\(\).limits/)
    const memory = memoryStorage()
    expect(() => createGatehouse({ baseUrl, storage: { ...memory, users } })).not.toThrow()
    expect(() => createGatehouse({ baseUrl, storage: { ...memory, sessionz: users } as never })).toThrow(/storage.sessionz: is not a known store/)
  })
})
