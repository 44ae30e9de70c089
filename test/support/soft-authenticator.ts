import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'

// A software WebAuthn authenticator for HTTP tests: P-256 keys from node:crypto, an
// attestationObject of format 'none' encoded in CBOR by hand, and signed assertions. Every field
// a relying party checks can be bent (origin, rpId hash, flags, counter, challenge) so the
// negative cases are made of real, correctly signed responses.

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor }

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length])
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length])
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff])
  const head = Buffer.alloc(5)
  head[0] = (major << 5) | 26
  head.writeUInt32BE(length, 1)
  return head
}

/** Canonical enough for WebAuthn: integers, byte and text strings, arrays, maps. */
export function encodeCbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([cborHead(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value])
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(encodeCbor)])
  const entries: [Cbor, Cbor][] = value instanceof Map ? [...value.entries()] : Object.entries(value)
  return Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([key, item]) => [encodeCbor(key), encodeCbor(item)])])
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest()

export const FLAG_UP = 0x01
export const FLAG_UV = 0x04
const FLAG_BE = 0x08
const FLAG_BS = 0x10
const FLAG_AT = 0x40

export interface SoftCredential {
  id: Buffer
  privateKey: KeyObject
  publicKeyCose: Buffer
  rpId: string
  /** base64url user handle from the creation options. */
  userHandle: string
  counter: number
}

export interface CeremonyOverrides {
  /** The page's origin as the browser reports it. */
  origin: string
  /** The rpId whose hash goes into authenticatorData; default the options' rpId. */
  rpId?: string
  /** User verification performed; default true. */
  userVerified?: boolean
  /** Replaces the options' challenge (base64url). */
  challenge?: string
  /** webauthn.create / webauthn.get by default. */
  type?: string
  /** create only: the new credential's id (default 32 random bytes). */
  credentialId?: Buffer
}

interface CreationOptions {
  challenge: string
  rp: { id?: string; name: string }
  user: { id: string; name: string }
}

interface RequestOptions {
  challenge: string
  rpId?: string
  allowCredentials?: { id: string }[]
}

export interface SoftAuthenticatorOptions {
  /** Counter step per assertion; 0 for an authenticator without a counter (synced passkeys). Default 1. */
  counterStep?: number
  /** Backup eligible and backed up (a synced passkey). Default false. */
  synced?: boolean
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = []
  private readonly counterStep: number
  private readonly synced: boolean

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.counterStep = options.counterStep ?? 1
    this.synced = options.synced ?? false
  }

  private flags(userVerified: boolean): number {
    return FLAG_UP | (userVerified ? FLAG_UV : 0) | (this.synced ? FLAG_BE | FLAG_BS : 0)
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  }

  /** navigator.credentials.create: a new P-256 credential, attestation 'none'. */
  create(options: CreationOptions, overrides: CeremonyOverrides) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = publicKey.export({ format: 'jwk' })
    const publicKeyCose = encodeCbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    )
    const rpId = options.rp.id!
    const credential: SoftCredential = { id: overrides.credentialId ?? randomBytes(32), privateKey, publicKeyCose, rpId, userHandle: options.user.id, counter: 0 }
    const counter = Buffer.alloc(4)
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(credential.id.length)
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? rpId),
      Buffer.from([this.flags(overrides.userVerified ?? true) | FLAG_AT]),
      counter,
      Buffer.alloc(16),
      idLength,
      credential.id,
      publicKeyCose,
    ])
    const attestationObject = encodeCbor({ fmt: 'none', attStmt: {}, authData })
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.create', overrides.challenge ?? options.challenge, overrides.origin)
    this.credentials.push(credential)
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
    }
  }

  /** navigator.credentials.get with the given (default: the first allowed, else the last created) credential. */
  get(options: RequestOptions, overrides: CeremonyOverrides & { credential?: SoftCredential; counter?: number }) {
    const allowed = options.allowCredentials?.map((descriptor) => descriptor.id) ?? []
    const credential =
      overrides.credential ?? (allowed.length > 0 ? this.credentials.find((each) => allowed.includes(b64url(each.id))) : this.credentials.at(-1))
    if (credential === undefined) throw new Error('soft authenticator: no matching credential')
    credential.counter = overrides.counter ?? credential.counter + this.counterStep
    const counter = Buffer.alloc(4)
    counter.writeUInt32BE(credential.counter)
    const authData = Buffer.concat([sha256(overrides.rpId ?? options.rpId ?? credential.rpId), Buffer.from([this.flags(overrides.userVerified ?? true)]), counter])
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.get', overrides.challenge ?? options.challenge, overrides.origin)
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey)
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    }
  }
}
