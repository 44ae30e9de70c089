import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The shape rules of DESIGN section 1, read from the source as text: `src/` never imports a
// framework, a driver, node:http or an adapter, and no module imports itself back through others.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function listSources(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return listSources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every module a file names in an import or export-from, type-only ones included. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8')
  const specifiers: string[] = []
  for (const match of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!)
  for (const match of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!)
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1]!)
  return specifiers
}

function resolveLocal(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  return relative(root, resolve(root, dirname(from), specifier)).replace(/\.js$/, '.ts')
}

/** Cycles as lists of files, each found once from its first file in sorted order. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return cycles
}

const forbiddenInCore = [/^express$/, /^koa$/, /^@koa\//, /^pg$/, /^ioredis$/, /^node:http$/, /^node:https$/, /^http$/, /^https$/]

describe('architecture', () => {
  const sources = [...listSources('src'), ...listSources('adapters')]
  const graph = new Map(
    sources.map((file) => [file, importsOf(file).flatMap((specifier) => resolveLocal(file, specifier) ?? [])] as const),
  )

  it('reads the sources it checks', () => {
    expect(sources.length).toBeGreaterThan(50)
    expect(graph.get('src/index.ts')?.length).toBeGreaterThan(10)
  })

  it('has no import cycles in src/ or adapters/', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([])
  })

  it('keeps frameworks, drivers and adapters out of src/', () => {
    const offending = sources
      .filter((file) => file.startsWith('src/'))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => forbiddenInCore.some((pattern) => pattern.test(specifier)) || resolveLocal(file, specifier)?.startsWith('adapters/') === true)
          .map((specifier) => `${file} imports ${specifier}`),
      )
    expect(offending).toEqual([])
  })

  it('finds a cycle and a forbidden import when there is one (the checks can fail)', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ])
    expect(findCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']])
    expect(forbiddenInCore.some((pattern) => pattern.test('koa'))).toBe(true)
  })
})
