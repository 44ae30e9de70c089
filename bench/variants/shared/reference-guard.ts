import { createHash } from 'node:crypto'

/**
 * The design's reference guard (DESIGN.md section 9): find the session cookie, hash the token with
 * SHA-256, look the hash up in a Map. The floor any cookie-session guard can reach.
 */
export class ReferenceSessions<User> {
  readonly #byHash = new Map<string, User>()

  constructor(readonly cookieName: string) {}

  add(token: string, user: User): void {
    this.#byHash.set(hashToken(token), user)
  }

  /** Forgets the token's session (a logout or revocation). */
  remove(token: string): void {
    this.#byHash.delete(hashToken(token))
  }

  userFor(cookieHeader: string | undefined): User | undefined {
    const token = readCookie(cookieHeader, this.cookieName)
    return token === undefined ? undefined : this.#byHash.get(hashToken(token))
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  const start = header.startsWith(`${name}=`) ? 0 : header.indexOf(`; ${name}=`)
  if (start === -1) return undefined
  const valueStart = header.indexOf('=', start) + 1
  const end = header.indexOf(';', valueStart)
  return header.slice(valueStart, end === -1 ? undefined : end)
}
