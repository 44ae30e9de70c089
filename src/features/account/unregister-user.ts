import type { Core } from '../../core.js'

/** Removes a user and everything that lets anyone act as them: sessions first, the user record last. */
export async function unregisterUser(core: Core, userId: string): Promise<void> {
  const { storage } = core
  await storage.sessions.deleteByUser(userId)
  await storage.tokens.deleteByUser(userId)
  await storage.factors.deleteByUser(userId)
  await storage.verifications.deleteByUser(userId)
  await storage.users.delete(userId)
}
