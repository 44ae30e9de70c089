import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const readme = readFileSync(`${root}README.md`, 'utf8')
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, unknown> }

/** The source index behind each subpath of package.json's exports. */
const sources: Record<string, string> = {
  '.': 'src/index.ts',
  './express': 'adapters/express/index.ts',
  './koa': 'adapters/koa/index.ts',
  './testing': 'src/testing/index.ts',
  './postgres': 'adapters/postgres/index.ts',
  './redis': 'adapters/redis/index.ts',
}

const importName = (subpath: string) => (subpath === '.' ? 'gatehouse' : `gatehouse/${subpath.slice(2)}`)

/** The names in a cell: the first identifier of each code span (`requireAuth(gate, needs)` names requireAuth). */
const namesIn = (cell: string) => [...cell.matchAll(/`([A-Za-z_$][\w$]*)/g)].map((match) => match[1]!).sort()

/** `import -> { values, types }` as the README's entry-point table lists them. */
function readmeEntryPoints(): Map<string, { values: string[]; types: string[] }> {
  const table = readme.split('<!-- entry-points:start -->')[1]!.split('<!-- entry-points:end -->')[0]!
  const rows = table.split('\n').filter((line) => line.startsWith('| `'))
  return new Map(
    rows.map((line) => {
      const [name, values, types] = line.split('|').slice(1, 4)
      return [name!.trim().replaceAll('`', ''), { values: namesIn(values!), types: namesIn(types!) }]
    }),
  )
}

/** What each entry exports that exists at run time, and what exists only as a type (the TypeScript checker sees both). */
async function actualEntryPoints(): Promise<Map<string, { values: string[]; types: string[] }>> {
  const files = Object.values(sources).map((file) => `${root}${file}`)
  const program = ts.createProgram({
    rootNames: files,
    options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ['node'] },
  })
  const checker = program.getTypeChecker()
  const entries = new Map<string, { values: string[]; types: string[] }>()
  for (const [subpath, file] of Object.entries(sources)) {
    const values = Object.keys((await import(`${root}${file}`)) as object).sort()
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(`${root}${file}`)!)!
    const types = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => symbol.name)
      .filter((name) => !values.includes(name))
      .sort()
    entries.set(importName(subpath), { values, types })
  }
  return entries
}

describe("the README's entry-point table", () => {
  it('has a source index for every subpath export', () => {
    expect(Object.keys(packageJson.exports).sort()).toEqual(Object.keys(sources).sort())
  })

  it('lists every export of every entry point, values and types, and nothing else', async () => {
    const listed = readmeEntryPoints()
    const actual = await actualEntryPoints()
    expect([...listed.keys()].sort()).toEqual([...actual.keys()].sort())
    for (const [entry, exports] of actual) {
      expect(exports.values.length, entry).toBeGreaterThan(0)
      expect(listed.get(entry), entry).toEqual(exports)
    }
  }, 60_000)

  it('reads names from a row the way a reader does', () => {
    expect(namesIn('`requireAuth(gate, needs)`, `optionalAuth(gate)` and `getAuth(req)`')).toEqual(['getAuth', 'optionalAuth', 'requireAuth'])
  })
})
