import type { WebAuthnCredential } from '@simplewebauthn/server'
import type { Core } from '../../core.js'
import { sha256Hex } from '../../crypto/sha256.js'
import { notFound } from '../../errors/auth-error.js'
import type { FactorRecord } from '../../storage/ports.js'

/** A passkey as listings show it; never its public key. */
export interface PublicPasskey {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  /** 'multiDevice' for a synced passkey, 'singleDevice' for one bound to its authenticator. */
  deviceType: string
  backedUp: boolean
  transports: string[]
}

/**
 * The factor id of a credential: derived from the credential id, so a sign-in finds the passkey
 * with one lookup by id and a credential can be registered once only (the store's create is
 * atomic on id), whoever tries.
 */
export function passkeyFactorId(credentialId: string): string {
  return `pk_${sha256Hex(credentialId)}`
}

/** The user's passkeys, oldest first. */
export function listPasskeyFactors(core: Core, userId: string): Promise<FactorRecord[]> {
  return core.storage.factors.listByUser(userId, 'passkey')
}

/** The passkey with this credential id, or null (also for a factor of another kind). */
export async function findPasskeyByCredentialId(core: Core, credentialId: string): Promise<FactorRecord | null> {
  const factor = await core.storage.factors.getById(passkeyFactorId(credentialId))
  return factor?.kind === 'passkey' ? factor : null
}

/** How the browser may reach the authenticator ('internal', 'hybrid', 'usb', ...), as it reported at registration. */
export function readTransports(factor: FactorRecord): string[] {
  const transports = factor.data?.transports ?? ''
  return transports === '' ? [] : transports.split(',')
}

/** The credential id as the browser knows it (allowCredentials, excludeCredentials). */
export function readCredentialId(factor: FactorRecord): string {
  return factor.data?.credentialId ?? ''
}

/** What the verifier needs of a stored passkey. */
export function toWebAuthnCredential(factor: FactorRecord): WebAuthnCredential {
  return {
    id: readCredentialId(factor),
    publicKey: new Uint8Array(Buffer.from(factor.secret, 'base64url')),
    counter: factor.lastUsedStep ?? 0,
    transports: readTransports(factor),
  }
}

export function toPublicPasskey(factor: FactorRecord): PublicPasskey {
  return {
    id: factor.id,
    name: factor.name ?? 'Passkey',
    createdAt: new Date(factor.createdAt).toISOString(),
    lastUsedAt: factor.lastUsedAt === null ? null : new Date(factor.lastUsedAt).toISOString(),
    deviceType: factor.data?.deviceType ?? 'singleDevice',
    backedUp: factor.data?.backedUp === 'true',
    transports: readTransports(factor),
  }
}

/** The user's passkey with this factor id; 404 for an unknown id or another user's. */
export async function findOwnPasskey(core: Core, userId: string, id: string): Promise<FactorRecord> {
  const factor = await core.storage.factors.getById(id)
  if (factor === null || factor.kind !== 'passkey' || factor.userId !== userId) throw notFound('Passkey')
  return factor
}
