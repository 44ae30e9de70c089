import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// `npm run example -- <name>` starts examples/<name>/server.ts: one command for every seed example.
const examplesDirectory = fileURLToPath(new URL('./', import.meta.url))
const available = readdirSync(examplesDirectory, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`${examplesDirectory}${entry.name}/server.ts`))
  .map((entry) => entry.name)
  .sort()
const name = process.argv[2]

if (name === undefined || !available.includes(name)) {
  console.error(`usage: npm run example -- <name>, one of: ${available.join(', ')}`)
  process.exit(1)
}
await import(`./${name}/server.ts`)
