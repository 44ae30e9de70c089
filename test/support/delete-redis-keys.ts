import type { Redis } from 'ioredis'

/** SCAN pages are small; this bounds a sweep at 100k keys, far above what a test run writes. */
const MAX_SCAN_PAGES = 1000

/** The keys under `prefix`, found with SCAN (never KEYS, which blocks the server). */
export async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  for (let page = 0; page < MAX_SCAN_PAGES; page++) {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100)
    found.push(...keys)
    cursor = next
    if (cursor === '0') break
  }
  return found
}

export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(client, prefix)
  if (keys.length > 0) await client.del(...keys)
}
