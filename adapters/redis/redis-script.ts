import { createHash } from 'node:crypto'
import type { RedisClient } from './redis-client.js'
import { callRedis } from './call-redis.js'

export type RunScript = (keys: string[], args: (string | number)[]) => Promise<unknown>

/**
 * A Lua script run by its SHA, loaded on first use and again after a server restart or
 * SCRIPT FLUSH. Built on eval/evalsha, so the host's client gets no custom commands defined on it.
 */
export function createScriptRunner(client: RedisClient, lua: string): RunScript {
  const sha = createHash('sha1').update(lua).digest('hex')
  return (keys, args) =>
    callRedis(async () => {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args)
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
        return client.eval(lua, keys.length, ...keys, ...args)
      }
    })
}
