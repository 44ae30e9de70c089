import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('../fixtures/seeds/', import.meta.url))
const originals = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url))

describe('the seed documents the example tests read', () => {
  it('are the five seed documents', () => {
    expect(readdirSync(fixtures).sort()).toEqual([
      '000_f65944694ea0cc9c.txt',
      '001_0ce27baf9e587ecb.txt',
      '002_3df45d67eab868c3.txt',
      '003_b12a033d191da0f7.txt',
      '004_860ffc7bbcde966f.txt',
    ])
  })

  // Only where the checkout sits beside ../shared (the project's own machines); a clone elsewhere has just the copies.
  it.skipIf(!existsSync(originals))('are byte-for-byte the documents in ../shared/seeds', () => {
    for (const name of readdirSync(originals)) expect(readFileSync(`${fixtures}${name}`, 'utf8'), name).toBe(readFileSync(`${originals}${name}`, 'utf8'))
  })
})
