import type { StorageName } from './ports.js'

/** Every store's name: the one list the option check, memory storage and the conformance kit read. */
export const storeNames = ['users', 'sessions', 'limits', 'tokens', 'verifications', 'factors', 'workspaces', 'invitations', 'identities'] as const satisfies readonly StorageName[]

// Fails to compile when a store is added to Storage but not here.
type Missing = Exclude<StorageName, (typeof storeNames)[number]>
export const everyStoreListed: Missing extends never ? true : Missing = true
