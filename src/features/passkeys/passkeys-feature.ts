import { defineFeature } from '../feature.js'
import { type PublicPasskey, listPasskeyFactors, toPublicPasskey } from './passkey-factor.js'
import { passkeyOptions } from './passkey-options.js'
import { passkeyRoutes } from './passkey-routes.js'
import { removePasskey } from './remove-passkey.js'
import { renamePasskey } from './rename-passkey.js'

export interface PasskeysApi {
  passkeys: {
    /** The user's passkeys, oldest first: `{ id, name, createdAt, lastUsedAt, deviceType, backedUp, transports }`. */
    list(input: { userId: string }): Promise<PublicPasskey[]>
    /** Renames one of the user's passkeys; 404 for an unknown id or another user's. */
    rename(input: { userId: string; id: string; name: string }): Promise<PublicPasskey>
    /** Removes one of the user's passkeys; 409 LAST_SIGN_IN_METHOD when it is the account's last way in, 404 for an unknown id or another user's. */
    remove(input: { userId: string; id: string }): Promise<void>
  }
}

/** Passkeys (WebAuthn): passwordless sign-in with a discoverable credential, or the second step of one. */
export const passkeysFeature = defineFeature({
  name: 'passkeys',
  options: passkeyOptions,
  stores: ['users', 'sessions', 'factors', 'verifications', 'limits'],
  routes: passkeyRoutes,
  gate: (core): PasskeysApi => ({
    passkeys: {
      list: async ({ userId }) => (await listPasskeyFactors(core, userId)).map(toPublicPasskey),
      rename: ({ userId, id, name }) => renamePasskey(core, userId, id, name),
      remove: ({ userId, id }) => removePasskey(core, userId, id),
    },
  }),
  loginOptions: () => ({ passkeys: true }),
})
