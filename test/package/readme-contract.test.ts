import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FEATURES, createGatehouse, errorCatalogue } from '../../src/index.js'
import tsupConfig from '../../tsup.config.js'

const root = new URL('../../', import.meta.url)
const readme = readFileSync(new URL('README.md', root), 'utf8')
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> }

function readmeRoutes() {
  const table = readme.split('<!-- route-table:start -->')[1]!.split('<!-- route-table:end -->')[0]!
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [name, method, path] = line.split('|').slice(1, 4).map((cell) => cell.trim().replaceAll('`', ''))
      return { name: name!, method: method!, path: path! }
    })
}

/** [code, status] for every code in the README's error table; a row lists its codes in backticks. */
function readmeErrorCodes() {
  const table = readme.split('<!-- error-table:start -->')[1]!.split('<!-- error-table:end -->')[0]!
  return table
    .split('\n')
    .filter((line) => /^\| \d{3} \|/.test(line))
    .flatMap((line) => {
      const [status, codes] = line.split('|').slice(1, 3).map((cell) => cell.trim())
      return [...codes!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => [match[1]!, Number(status)] as const)
    })
}

describe('the README stays in step with the code', () => {
  it('lists every mounted route with its method and default path, and nothing else', () => {
    const gate = createGatehouse({ baseUrl: 'http://app.test' })
    const mounted = gate.routes.map(({ name, method, path }) => ({ name, method, path }))
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    expect(readmeRoutes().sort(byName)).toEqual(mounted.sort(byName))
  })

  it('lists every error code of the catalogue with its status, and nothing else', () => {
    const byCode = (a: readonly [string, number], b: readonly [string, number]) => a[0].localeCompare(b[0])
    const catalogued = Object.entries(errorCatalogue).map(([code, { status }]) => [code, status] as const)
    expect(catalogued.length).toBeGreaterThan(20)
    expect(readmeErrorCodes().sort(byCode)).toEqual(catalogued.sort(byCode))
  })

  it('documents every subpath export, and the build has an entry for each', () => {
    const subpaths = Object.keys(packageJson.exports)
    const entries = Object.keys((tsupConfig as { entry: Record<string, string> }).entry)
    for (const subpath of subpaths) {
      const importName = subpath === '.' ? 'gatehouse' : `gatehouse/${subpath.slice(2)}`
      expect(readme).toContain(`| \`${importName}\` |`)
      const entry = subpath === '.' ? 'index' : subpath === './testing' ? 'testing/index' : `adapters/${subpath.slice(2)}/index`
      expect(entries).toContain(entry)
    }
    expect(entries).toHaveLength(subpaths.length)
  })

  it('documents every top-level option of createGatehouse', () => {
    const base = readFileSync(new URL('src/config/base-options.ts', root), 'utf8')
    const routeOptions = readFileSync(new URL('src/http/route-options.ts', root), 'utf8')
    const fieldsOf = (source: string, opening: string) =>
      [...source.split(opening)[1]!.split('\n}\n')[0]!.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]!)
    const options = [
      ...fieldsOf(base, 'export interface BaseOptions<RouteName extends string = string> extends RouteOptions<RouteName> {'),
      ...fieldsOf(routeOptions, 'export interface RouteOptions<Name extends string = string> {'),
      ...FEATURES.flatMap((feature) => ('options' in feature ? [feature.options.key] : [])),
      'features',
    ]
    expect(options.length).toBeGreaterThan(5)
    for (const option of options) expect(readme, option).toMatch(new RegExp(`\\| \`${option}[.\` ]`))
  })
})
