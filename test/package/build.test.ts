import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url).pathname

/** What each entry point must export, in both module systems (gatehouse/testing: ESM only, as vitest is). */
const expected: Record<string, string[]> = {
  gatehouse: ['createGatehouse', 'AuthError', 'ConfigError', 'memoryStorage'],
  'gatehouse/express': ['authRoutes', 'requireAuth', 'optionalAuth', 'errorHandler'],
  'gatehouse/koa': ['authRoutes', 'requireAuth', 'optionalAuth'],
  'gatehouse/postgres': ['postgresStorage', 'migrate'],
  'gatehouse/redis': ['redisStorage'],
  'gatehouse/testing': ['describeStorageConformance', 'createFixedClock', 'createCaptureMailer', 'createCaptureSmsSender'],
}

// `npm run build`, then a scratch project that depends on the package loads every subpath with
// import and with require, as a user's app would.
describe('the built package', () => {
  let scratch = ''

  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: root, timeout: 170_000 })
    scratch = await mkdtemp(join(tmpdir(), 'gatehouse-consumer-'))
    await mkdir(join(scratch, 'node_modules'))
    await symlink(root, join(scratch, 'node_modules', 'gatehouse'), 'dir')
    await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  }, 180_000)

  afterAll(() => rm(scratch, { recursive: true, force: true }))

  it('emits JS, CJS and type declarations for every export', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, Record<string, string>>> }
    for (const conditions of Object.values(pkg.exports)) {
      const files = [conditions.import!.types!, conditions.import!.default!]
      if (conditions.require !== undefined) files.push(conditions.require.types!, conditions.require.default!)
      for (const file of files) {
        expect(existsSync(join(root, file)), file).toBe(true)
      }
    }
  })

  it.each(Object.entries(expected))('%s loads with require() and import', async (specifier, names) => {
    if (specifier !== 'gatehouse/testing') {
      const script = `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => typeof m[n])))`
      const cjs = await run(process.execPath, ['-e', script], { cwd: scratch, timeout: 20_000 })
      expect(JSON.parse(cjs.stdout)).toEqual(names.map(() => 'function'))
    }
    const esmScript = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => typeof m[n])))`
    const esm = await run(process.execPath, ['--input-type=module', '-e', esmScript], { cwd: scratch, timeout: 20_000 })
    expect(JSON.parse(esm.stdout)).toEqual(names.map(() => 'function'))
  })

  it("type-checks a host's code against the shipped declarations under exactOptionalPropertyTypes", async () => {
    const project = join(scratch, 'typed-host')
    await mkdir(join(project, 'node_modules'), { recursive: true })
    await symlink(root, join(project, 'node_modules', 'gatehouse'), 'dir')
    await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }))
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['host.ts'],
      }),
    )
    // The frameworks a host has installed; gatehouse itself comes from the built package.
    for (const name of ['express', 'koa', '@koa', '@types']) await symlink(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir').catch(() => {})
    // Each @ts-expect-error must stay an error, or tsc fails on the unused directive.
    await writeFile(
      join(project, 'host.ts'),
      `import Router from '@koa/router'
      import express from 'express'
      import { createGatehouse } from 'gatehouse'
      import * as expressAdapter from 'gatehouse/express'
      import * as koaAdapter from 'gatehouse/koa'
      const secret: string | undefined = process.env.AUTH_SECRET
      const gate = createGatehouse({ secret, baseUrl: 'https://app.example.com', mountPath: undefined, respond: { login: (response, { route }) => (route === 'login' ? response : response) } })
      // @ts-expect-error scimUsers is no route of this gatehouse
      createGatehouse({ baseUrl: 'https://app.example.com', paths: { scimUsers: '/scim' } })
      const app = express()
      app.get('/projects', expressAdapter.requireAuth(gate), (req, res) => res.json(expressAdapter.getAuth(req).user.email))
      const router = new Router()
      router.get('/projects', koaAdapter.requireAuth(gate), (ctx) => { ctx.body = ctx.state.auth.user.email })
      // @ts-expect-error behind optionalAuth the caller may be anonymous
      router.get('/feed', koaAdapter.optionalAuth(gate), (ctx) => { ctx.body = ctx.state.auth.user.email })
      export { app, router }
      `,
    )
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: project, timeout: 60_000 }).catch((error: { stdout: string }) => ({ stdout: error.stdout }))
    expect(result.stdout).toBe('')
  }, 70_000)

  it('gatehouse/testing gives the capture mailer and the fixed clock where vitest is not installed', async () => {
    // A consumer whose node_modules holds the package and its dependencies but no vitest, anywhere
    // up the tree from the package (the dependencies resolve their own from their real paths).
    const consumer = await mkdtemp(join(tmpdir(), 'gatehouse-no-vitest-'))
    try {
      const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
      const installed = join(consumer, 'node_modules', 'gatehouse')
      await mkdir(installed, { recursive: true })
      await cp(join(root, 'package.json'), join(installed, 'package.json'))
      await cp(join(root, 'dist'), join(installed, 'dist'), { recursive: true })
      for (const dependency of Object.keys(pkg.dependencies)) {
        await mkdir(join(consumer, 'node_modules', dependency, '..'), { recursive: true })
        await symlink(join(root, 'node_modules', dependency), join(consumer, 'node_modules', dependency), 'dir')
      }
      await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
      const script = `
        const { createCaptureMailer, createFixedClock, describeStorageConformance } = await import('gatehouse/testing')
        const mailer = createCaptureMailer()
        await mailer.send({ to: 'a@example.com', subject: 'Hello', text: 'hi' })
        const clock = createFixedClock(1000)
        clock.advance(500)
        const vitest = await import('vitest').then(() => 'found', (error) => error.code)
        const kit = await describeStorageConformance('x', () => ({})).then(() => 'registered', (error) => error.message)
        console.log(JSON.stringify({ subject: mailer.last('a@example.com')?.subject, now: clock.now(), vitest, kit }))`
      const out = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, timeout: 20_000 })
      expect(JSON.parse(out.stdout)).toEqual({
        subject: 'Hello',
        now: 1500,
        vitest: 'ERR_MODULE_NOT_FOUND',
        kit: 'gatehouse/testing: describeStorageConformance needs options.runner, or vitest installed',
      })
    } finally {
      await rm(consumer, { recursive: true, force: true })
    }
  })

  it('shares one AuthError class between the core and the adapters (CJS)', async () => {
    const script = `
      const { createGatehouse, AuthError } = require('gatehouse')
      const { requireAuth } = require('gatehouse/express')
      const gate = createGatehouse({ baseUrl: 'http://app.test' })
      gate.createGuard()({ method: 'GET', headers: { get: () => 'Bearer nope' } }).catch((e) => console.log(e instanceof AuthError, typeof requireAuth(gate)))`
    const out = await run(process.execPath, ['-e', script], { cwd: scratch, timeout: 20_000, env: { ...process.env, NODE_ENV: 'test' } })
    expect(out.stdout.trim()).toBe('true function')
  })
})
