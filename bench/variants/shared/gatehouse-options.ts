import type { GatehouseOptions } from '../../../src/index.js'

/** Rate limits out of the way: the login benchmark sends thousands of logins from one IP to one account. */
const unlimited = { max: 1_000_000_000, windowSeconds: 60 } as const

/** gatehouse as the bench runs it: defaults (argon2id 19456/2/1, memory storage) except rate limits. */
export function benchGatehouseOptions(baseUrl: string, storage?: GatehouseOptions['storage']): GatehouseOptions {
  return {
    secret: 'bench-gatehouse-secret-0123456789-abcdefgh',
    baseUrl,
    ...(storage === undefined ? {} : { storage }),
    rateLimits: { loginPerAccount: unlimited, loginPerIp: unlimited, signupPerIp: unlimited },
    logger: { error: (message: string) => console.error(message) },
  }
}
