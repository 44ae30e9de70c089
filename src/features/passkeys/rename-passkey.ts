import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { type PublicPasskey, findOwnPasskey, toPublicPasskey } from './passkey-factor.js'

/** Gives the user's passkey a new name; 404 for an unknown id or another user's. */
export async function renamePasskey(core: Core, userId: string, id: string, name: string): Promise<PublicPasskey> {
  const factor = await findOwnPasskey(core, userId, id)
  if (!(await core.storage.factors.update(factor.id, { name }))) throw notFound('Passkey')
  return toPublicPasskey({ ...factor, name })
}
