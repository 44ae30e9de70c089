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
