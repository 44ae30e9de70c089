import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'gatehouse'
/** dist/adapters/postgres sits three levels below the package root; a few more cover odd layouts. */
const MAX_PARENT_STEPS = 8

// tsup's `shims` option rewrites import.meta.url in the CJS build, where import.meta is a syntax error.
function locateThisDirectory(): string {
  return dirname(fileURLToPath(import.meta.url))
}

function isGatehouseRoot(directory: string): boolean {
  const manifest = join(directory, 'package.json')
  if (!existsSync(manifest)) return false
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'))
  return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === PACKAGE_NAME
}

/**
 * The migrations directory shipped in the package. Found from the package root, so the same
 * code works from source (adapters/postgres), from dist (dist/adapters/postgres or a shared
 * chunk in dist/) and in both ESM and CJS builds.
 */
export function locateMigrationsDirectory(): string {
  let directory = locateThisDirectory()
  for (let step = 0; step <= MAX_PARENT_STEPS; step++) {
    if (isGatehouseRoot(directory)) return join(directory, 'adapters', 'postgres', 'migrations')
    const parent = dirname(directory)
    if (parent === directory) break
    directory = parent
  }
  throw new Error(
    `gatehouse/postgres: cannot find the ${PACKAGE_NAME} package root above ${locateThisDirectory()}; ` +
      'was the package bundled? Run the SQL from renderMigrations() with your own migration tool instead.',
  )
}
