/**
 * Key names under one prefix. Every key is `<prefix>{<prefix>}<name>`: one hash tag for the whole
 * storage, so on Redis Cluster all its keys share a slot and a script may touch several of them
 * (each passed in KEYS; no script builds a key name). Keys with two free-form parts encode each
 * part, so that ('a:b', 'c') and ('a', 'b:c') cannot meet; single-part keys need no encoding.
 */
export interface RedisKeys {
  /** Session hash, by token hash: the guard's lookup is a single HGETALL. */
  session(tokenHash: string): string
  /** Session id -> token hash. */
  sessionId(id: string): string
  /** Sorted set of a user's session ids, scored by createdAt. */
  userSessions(userId: string): string
  limitWindow(key: string): string
  limitClaim(key: string): string
  verification(id: string): string
  verificationSubject(purpose: string, subject: string): string
  verificationSecret(purpose: string, secretHash: string): string
  userVerifications(userId: string): string
}

export function createRedisKeys(prefix: string): RedisKeys {
  if (prefix === '' || /[{}]/.test(prefix)) {
    throw new TypeError(`gatehouse/redis: keyPrefix must be non-empty and without braces (it is the keys' hash tag), got ${JSON.stringify(prefix)}`)
  }
  const base = `${prefix}{${prefix}}`
  return {
    session: (tokenHash) => `${base}session:${tokenHash}`,
    sessionId: (id) => `${base}session-id:${id}`,
    userSessions: (userId) => `${base}user-sessions:${userId}`,
    limitWindow: (key) => `${base}limit:${key}`,
    limitClaim: (key) => `${base}claim:${key}`,
    verification: (id) => `${base}verification:${id}`,
    verificationSubject: (purpose, subject) => `${base}verification-subject:${encodeURIComponent(purpose)}:${encodeURIComponent(subject)}`,
    verificationSecret: (purpose, secretHash) => `${base}verification-secret:${encodeURIComponent(purpose)}:${encodeURIComponent(secretHash)}`,
    userVerifications: (userId) => `${base}user-verifications:${userId}`,
  }
}
