/**
 * Semaphore's user names. They are the host's data, not gatehouse's (gatehouse knows accounts by
 * e-mail): Semaphore keeps them in its own user table. gatehouse asks this directory through
 * `passwords.resolveLoginName` when S2's `auth` is not an e-mail address.
 */
export interface UserNameDirectory {
  /** Gives the account with this e-mail a user name; a name is unique (case-insensitive). */
  add(input: { userName: string; email: string }): void
  /** The e-mail of the account with this user name, or null. */
  emailOf(userName: string): string | null
}

export function createUserNameDirectory(): UserNameDirectory {
  const emails = new Map<string, string>()
  return {
    add({ userName, email }) {
      const key = userName.trim().toLowerCase()
      if (key === '' || key.includes('@')) throw new Error(`'${userName}' is not a user name: it must be non-empty and have no @`)
      if (emails.has(key)) throw new Error(`the user name '${userName}' is taken`)
      emails.set(key, email)
    },
    emailOf: (userName) => emails.get(userName.trim().toLowerCase()) ?? null,
  }
}
