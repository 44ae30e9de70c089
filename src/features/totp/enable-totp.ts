import { generateURI } from 'otplib'
import QRCode from 'qrcode'
import type { Core } from '../../core.js'
import { encodeBase32 } from '../../crypto/base32.js'
import { createId } from '../../crypto/random-token.js'
import { sealSecret } from '../../crypto/secret-box.js'
import { notFound } from '../../errors/auth-error.js'
import { findTotpFactor, totpSecretContext } from './totp-factor.js'
import { totpAlreadyEnabled } from '../second-factor/second-factor-errors.js'
import { secondFactorOptions } from '../second-factor/second-factor-options.js'

/** What the user needs to add the account to an authenticator app. Shown once. */
export interface TotpEnrolment {
  /** Base32 secret, for typing in by hand. */
  secret: string
  otpauthUrl: string
  /** The otpauth URL as an SVG QR code. */
  qrCodeSvg: string
}

/** RFC 6238 suggests a key as long as the HMAC output. */
const secretBytes = { sha1: 20, sha256: 32, sha512: 64 } as const

export interface EnableTotpOptions {
  /**
   * Active at once, with no confirming code and no recovery codes, replacing any TOTP the user
   * had: for a host that authorised the call itself (a server-to-server API such as Lagrello's).
   */
  activate?: boolean | undefined
}

/**
 * Starts a TOTP enrolment: a fresh secret, stored encrypted and inactive until confirmTotp sees a
 * correct code. A previous unconfirmed enrolment is replaced; a confirmed TOTP answers 409, unless
 * `activate` replaces it with one active at once.
 */
export async function enableTotp(core: Core, userId: string, options: EnableTotpOptions = {}): Promise<TotpEnrolment> {
  const user = await core.storage.users.getById(userId)
  if (user === null) throw notFound('User')
  const activate = options.activate === true
  if (!activate && (await findTotpFactor(core, userId, true)) !== null) {
    throw totpAlreadyEnabled()
  }
  await core.storage.factors.deleteByUser(userId, 'totp')
  const { random, clock } = core.config
  const now = clock.now()
  const secondFactor = secondFactorOptions.of(core)
  const { issuer, algorithm, digits, periodSeconds } = secondFactor.totp
  const secret = encodeBase32(random.bytes(secretBytes[algorithm]))
  const id = createId(random)
  await core.storage.factors.create({
    id,
    userId,
    kind: 'totp',
    secret: sealSecret(core.config, secret, totpSecretContext(id, userId)),
    confirmedAt: activate ? now : null,
    lastUsedStep: null,
    createdAt: now,
    name: null,
    data: null,
    lastUsedAt: null,
  })
  const otpauthUrl = generateURI({ issuer, label: user.email, secret, algorithm, digits, period: periodSeconds })
  return { secret, otpauthUrl, qrCodeSvg: await QRCode.toString(otpauthUrl, { type: 'svg' }) }
}
