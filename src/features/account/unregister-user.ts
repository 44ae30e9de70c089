import type { Core } from '../../core.js'

/**
 * Removes a user and everything that lets anyone act as them: each feature's part first
 * (sessions before anything else), then their one-time secrets, the user record last.
 */
export async function unregisterUser(core: Core, userId: string): Promise<void> {
  await core.features.deleteUser(userId)
  await core.storage.verifications.deleteByUser(userId)
  await core.storage.users.delete(userId)
}
