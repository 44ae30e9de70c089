import { announceSkip } from './announce.js'

/**
 * Imports a module that may not exist on this branch yet (e.g. a storage adapter another engineer
 * is building). A missing module makes the variant print SKIP and exit; any other error is thrown.
 * `url` must be absolute: `new URL('../../adapters/redis/index.js', import.meta.url)`.
 */
export async function importOptional<T>(url: URL, what: string): Promise<T> {
  try {
    return (await import(url.href)) as T
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(url.pathname)) announceSkip(`${what} is not on this branch yet`)
    throw error
  }
}
