import { type JsonWebKey, type KeyObject, createHash, createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto'

export type FederationAlgorithm = 'HS256' | 'ES256' | 'RS256' | 'EdDSA'

/** A key ready to sign, imported once when the options are resolved. */
export interface SigningKey {
  keyId: string
  key: KeyObject
}

/** A public key as the JWKS route publishes it. */
export interface PublishedKey {
  jwk: JsonWebKey & { kid: string; alg: string; use: 'sig' }
  /** When it stopped signing (ms), or null for the key in use. */
  retiredAt: number | null
}

/** RFC 7638 thumbprint: a stable key id derived from the public key alone. */
function thumbprintOf(jwk: JsonWebKey): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url')
}

/** What each algorithm needs of a private key; a mismatch would sign tokens no verifier accepts. */
function checkKeyType(algorithm: FederationAlgorithm, key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType
  if (algorithm === 'ES256' && (type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) return 'ES256 needs an EC P-256 private key'
  if (algorithm === 'RS256' && (type !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)) return 'RS256 needs an RSA private key of at least 2048 bits'
  if (algorithm === 'EdDSA' && type !== 'ed25519') return 'EdDSA needs an Ed25519 private key'
  return undefined
}

/** Imports a private JWK for `algorithm`; throws a message for the ConfigError otherwise. */
export function importPrivateJwk(algorithm: Exclude<FederationAlgorithm, 'HS256'>, privateJwk: JsonWebKey, keyId: string | undefined): { signing: SigningKey; jwk: PublishedKey['jwk'] } {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: privateJwk, format: 'jwk' })
  } catch {
    throw new Error('is not a private JWK')
  }
  if (key.type !== 'private') throw new Error('is not a private JWK')
  const problem = checkKeyType(algorithm, key)
  if (problem !== undefined) throw new Error(problem)
  const publicJwk = createPublicKey(key).export({ format: 'jwk' })
  const kid = keyId ?? thumbprintOf(publicJwk)
  return { signing: { keyId: kid, key }, jwk: { ...publicJwk, kid, alg: algorithm, use: 'sig' } }
}

/** An HMAC secret as a key object (never published). */
export function importSharedSecret(secret: string, keyId: string): SigningKey {
  return { keyId, key: createSecretKey(Buffer.from(secret, 'utf8')) }
}
