import { execFile } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// The patched floors the README states for SAML: @xmldom/xmldom GHSA-6gmq-8vp8-gcm6, xml-crypto
// CVE-2025-29774/29775 and the 6.1 fix, js-yaml CVE-2025-64718 (the copy saml2-js pulls through xmlbuilder2).
const floors: { name: string; floor: string; under?: string }[] = [
  { name: '@xmldom/xmldom', floor: '0.8.15' },
  { name: 'xml-crypto', floor: '6.1.2' },
  { name: 'js-yaml', floor: '3.14.2', under: 'saml2-js' },
]

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

interface TreeNode {
  version?: string
  dependencies?: Record<string, TreeNode>
}

/** Every installed copy of each package, with the path of packages that pulled it. */
function collectVersions(tree: TreeNode, path: string[] = [], found: { name: string; version: string; path: string[] }[] = []) {
  for (const [name, node] of Object.entries(tree.dependencies ?? {})) {
    if (node.version !== undefined) found.push({ name, version: node.version, path })
    collectVersions(node, [...path, name], found)
  }
  return found
}

function isBelow(version: string, floor: string): boolean {
  const parts = (text: string) => text.split('-', 1)[0]!.split('.').map(Number)
  const [a, b] = [parts(version), parts(floor)]
  for (let index = 0; index < 3; index++) if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) < (b[index] ?? 0)
  return false
}

function findBelowFloors(tree: TreeNode): string[] {
  return collectVersions(tree).flatMap(({ name, version, path }) =>
    floors
      .filter((rule) => rule.name === name && (rule.under === undefined || path.includes(rule.under)) && isBelow(version, rule.floor))
      .map((rule) => `${[...path, name].join(' > ')}@${version} is below ${rule.floor}`),
  )
}

async function installedTree(): Promise<TreeNode> {
  // npm ls exits non-zero for unrelated tree problems (extraneous copies); its JSON is still whole.
  const { stdout } = await promisify(execFile)('npm', ['ls', '--json', '--all', ...floors.map((rule) => rule.name)], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  )
  return JSON.parse(stdout) as TreeNode
}

describe('SAML dependency floors', () => {
  it('has every installed copy at or above its patched floor', async () => {
    const tree = await installedTree()
    const versions = collectVersions(tree)
    for (const rule of floors) expect(versions.some((entry) => entry.name === rule.name), `${rule.name} is installed`).toBe(true)
    expect(versions.some((entry) => entry.name === 'js-yaml' && entry.path.includes('saml2-js'))).toBe(true)
    expect(findBelowFloors(tree)).toEqual([])
  }, 60_000)

  it('finds a copy below its floor (the check can fail)', () => {
    const tree: TreeNode = {
      dependencies: {
        'saml2-js': { version: '4.0.4', dependencies: { xmlbuilder2: { version: '2.4.1', dependencies: { 'js-yaml': { version: '3.14.0' } } } } },
        'xml-crypto': { version: '6.0.0', dependencies: { '@xmldom/xmldom': { version: '0.8.14' } } },
        other: { version: '1.0.0', dependencies: { 'js-yaml': { version: '3.0.0' } } },
      },
    }
    expect(findBelowFloors(tree)).toEqual([
      'saml2-js > xmlbuilder2 > js-yaml@3.14.0 is below 3.14.2',
      'xml-crypto@6.0.0 is below 6.1.2',
      'xml-crypto > @xmldom/xmldom@0.8.14 is below 0.8.15',
    ])
    expect(isBelow('0.8.15', '0.8.15')).toBe(false)
    expect(isBelow('0.9.0', '0.8.15')).toBe(false)
  })
})
