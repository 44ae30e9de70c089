import { storageUnavailable } from '../../src/errors/auth-error.js'
import { isRedisUnavailable } from './connection-failure.js'

/** Runs one Redis call; an unreachable or timed-out server becomes STORAGE_UNAVAILABLE. */
export async function callRedis<T>(command: () => Promise<T>): Promise<T> {
  try {
    return await command()
  } catch (error) {
    throw isRedisUnavailable(error) ? storageUnavailable(error) : error
  }
}
