/**
 * Key names under one prefix. Keys with two free-form parts encode each part, so that
 * ('a:b', 'c') and ('a', 'b:c') cannot meet; single-part keys need no encoding.
 */
export interface RedisKeys {
  /** Session hash, by token hash: the guard's lookup is a single HGETALL. */
  sessionPrefix: string
  /** Session id -> token hash. */
  sessionIdPrefix: string
  /** Sorted set of a user's session ids, scored by createdAt. */
  userSessionsPrefix: string
  limitWindow(key: string): string
  limitClaim(key: string): string
  verificationPrefix: string
  verificationSubject(purpose: string, subject: string): string
  verificationSecret(purpose: string, secretHash: string): string
  userVerifications(userId: string): string
}

export function createRedisKeys(prefix: string): RedisKeys {
  return {
    sessionPrefix: `${prefix}session:`,
    sessionIdPrefix: `${prefix}session-id:`,
    userSessionsPrefix: `${prefix}user-sessions:`,
    limitWindow: (key) => `${prefix}limit:${key}`,
    limitClaim: (key) => `${prefix}claim:${key}`,
    verificationPrefix: `${prefix}verification:`,
    verificationSubject: (purpose, subject) =>
      `${prefix}verification-subject:${encodeURIComponent(purpose)}:${encodeURIComponent(subject)}`,
    verificationSecret: (purpose, secretHash) =>
      `${prefix}verification-secret:${encodeURIComponent(purpose)}:${encodeURIComponent(secretHash)}`,
    userVerifications: (userId) => `${prefix}user-verifications:${userId}`,
  }
}
