// Summarises a V8 .cpuprofile (from `npm run bench -- --profile --only <variant>`):
// self time per function and inclusive time per project file, as shares of the busy time.
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--match src/,adapters/]
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
const given = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'))
if (given === undefined) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile | dir> [--top N] [--match /src/,/adapters/]')
  process.exit(2)
}
// a directory holds one profile per thread; the main thread's is the largest
const file = statSync(given).isDirectory() ? largestProfileIn(given) : given
const top = Number(valueOf('--top') ?? 25)
const match = (valueOf('--match') ?? '/src/,/adapters/').split(',').filter((m) => m !== '')

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

// self time per node (µs), from samples and their time deltas
const selfUs = new Map<number, number>()
let totalUs = 0
let idleUs = 0
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0
  totalUs += dt
  const name = byId.get(id)?.callFrame.functionName
  if (name === '(idle)') idleUs += dt
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
})
const busyUs = totalUs - idleUs

const label = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`

// self time per function and per file
const selfByFn = new Map<string, number>()
const selfByFile = new Map<string, number>()
for (const [id, us] of selfUs) {
  const node = byId.get(id)
  if (node === undefined || node.callFrame.functionName === '(idle)') continue
  const key = label(node.callFrame)
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + us)
  const fileKey = packageOf(node.callFrame)
  selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + us)
}

// inclusive time per matching function / file: a sample counts once per distinct ancestor key
const inclusiveFn = new Map<string, number>()
const inclusiveFile = new Map<string, number>()
for (const [id, us] of selfUs) {
  const seenFn = new Set<string>()
  const seenFile = new Set<string>()
  let current: number | undefined = id
  for (let depth = 0; current !== undefined && depth < 500; depth++) {
    const node = byId.get(current)
    if (node === undefined) break
    const url = node.callFrame.url
    if (match.some((m) => url.includes(m))) {
      seenFn.add(label(node.callFrame))
      seenFile.add(shortUrl(url))
    }
    current = parent.get(current)
  }
  for (const key of seenFn) inclusiveFn.set(key, (inclusiveFn.get(key) ?? 0) + us)
  for (const key of seenFile) inclusiveFile.set(key, (inclusiveFile.get(key) ?? 0) + us)
}

console.log(`${file}\nsampled ${(totalUs / 1e6).toFixed(2)} s, busy ${(busyUs / 1e6).toFixed(2)} s (${pct(busyUs, totalUs)} of wall)\n`)
printTop('self time by function (share of busy time)', selfByFn)
printTop('self time by package or project file', selfByFile)
printTop(`inclusive time, functions matching ${match.join(' ')}`, inclusiveFn)
printTop(`inclusive time, files matching ${match.join(' ')}`, inclusiveFile)

function printTop(title: string, table: Map<string, number>): void {
  console.log(title)
  const rows = [...table].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [key, us] of rows) console.log(`  ${pct(us, busyUs).padStart(6)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
  console.log('')
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((part / whole) * 100).toFixed(1)}%`
}

function shortUrl(url: string): string {
  const cut = url.lastIndexOf('/node_modules/')
  if (cut !== -1) return url.slice(cut + '/node_modules/'.length)
  const work = url.search(/\/(src|adapters|bench)\//)
  return work === -1 ? url.replace(/^file:\/\//, '') : url.slice(work + 1)
}

/** A node_modules package name, a project file, or the V8/Node bucket a frame belongs to. */
function packageOf(f: CallFrame): string {
  if (f.url === '') return f.functionName.startsWith('(') ? f.functionName : '(native)'
  if (f.url.startsWith('node:')) return 'node: internals'
  const cut = f.url.lastIndexOf('/node_modules/')
  if (cut === -1) return shortUrl(f.url)
  const rest = f.url.slice(cut + '/node_modules/'.length).split('/')
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? f.url)
}

function largestProfileIn(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  const sized = files.map((f) => ({ path: join(dir, f), size: statSync(join(dir, f)).size })).sort((a, b) => b.size - a.size)
  const first = sized[0]
  if (first === undefined) throw new Error(`no .cpuprofile in ${dir}`)
  return first.path
}

function valueOf(flag: string): string | undefined {
  const i = args.indexOf(flag)
  return i === -1 ? undefined : args[i + 1]
}
