import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tsupConfig from '../../tsup.config.js'

// Builds gatehouse/postgres with the package's own tsup settings into a throwaway package root,
// then loads it as ESM and as CJS: both must find the shipped migration files.
describe('gatehouse/postgres as built', () => {
  let packageRoot = ''

  beforeAll(async () => {
    packageRoot = await mkdtemp(join(tmpdir(), 'gatehouse-build-'))
    await writeFile(join(packageRoot, 'package.json'), JSON.stringify({ name: 'gatehouse', type: 'module' }))
    await cp('adapters/postgres/migrations', join(packageRoot, 'adapters/postgres/migrations'), { recursive: true })
    if (Array.isArray(tsupConfig) || typeof tsupConfig === 'function') throw new Error('expected one tsup options object')
    await build({
      ...tsupConfig,
      entry: { 'adapters/postgres/index': 'adapters/postgres/index.ts' },
      outDir: join(packageRoot, 'dist'),
      dts: false,
      sourcemap: false,
      silent: true,
    })
  }, 60_000)

  afterAll(() => rm(packageRoot, { recursive: true, force: true }))

  it('reads the migrations from the ESM build', async () => {
    const built = await import(pathToFileURL(join(packageRoot, 'dist/adapters/postgres/index.js')).href)
    const migrations: { name: string; sql: string }[] = await built.renderMigrations({ schema: 'esm' })
    expect(migrations.map((migration) => migration.name)).toEqual(['001-initial.sql', '002-workspaces.sql', '003-passkeys.sql', '004-audit-events.sql', '005-identities.sql', '006-saml-sso.sql', '007-profile-fields.sql'])
    expect(migrations[0]?.sql).toContain('"esm"."gatehouse_users"')
  })

  it('reads the migrations from the CJS build', async () => {
    const built = createRequire(import.meta.url)(join(packageRoot, 'dist/adapters/postgres/index.cjs'))
    const migrations: { name: string; sql: string }[] = await built.renderMigrations({ schema: 'cjs' })
    expect(migrations.map((migration) => migration.name)).toEqual(['001-initial.sql', '002-workspaces.sql', '003-passkeys.sql', '004-audit-events.sql', '005-identities.sql', '006-saml-sso.sql', '007-profile-fields.sql'])
  })
})
