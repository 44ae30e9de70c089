import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type BenchReport, renderMarkdown } from './report.js'

export const resultsDir = join(import.meta.dirname, '..', 'results')

/** Writes bench/results/latest.md and latest.json; answers the paths written. */
export function writeResults(report: BenchReport): string[] {
  mkdirSync(resultsDir, { recursive: true })
  const md = join(resultsDir, 'latest.md')
  const json = join(resultsDir, 'latest.json')
  writeFileSync(md, renderMarkdown(report))
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`)
  return [md, json]
}
