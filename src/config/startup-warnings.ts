import { isMemoryStore } from '../storage/memory-storage.js'
import type { BaseOptions, ResolvedConfig } from './base-options.js'

/**
 * Set-ups that work today and fail later (after a restart, behind a second process, on the
 * first mail): each is said once, at start-up, with the fix.
 */
export function listStartupWarnings(options: BaseOptions, config: ResolvedConfig, environment: string | undefined): string[] {
  const warnings: string[] = []
  const durable = Object.values(options.storage ?? {}).some((store) => typeof store === 'object' && store !== null && !isMemoryStore(store))
  if (options.secret === undefined && durable) {
    warnings.push(
      'secret: not set, so a random one is made per process while storage is durable; after a restart every TOTP secret it encrypted becomes unreadable (FACTOR_UNREADABLE) and signed links stop working. Set secret to 32 random bytes, e.g. `openssl rand -base64 32`.',
    )
  }
  const sessions = options.storage?.sessions
  if (options.sessionCache !== undefined && options.sessionCache.broadcast === undefined && sessions !== undefined && !isMemoryStore(sessions)) {
    warnings.push(
      'sessionCache: no broadcast while sessions are in a shared store; behind a second process a revoked session stays valid there for up to ttlSeconds. Pass redisCacheBroadcast or postgresCacheBroadcast (README, "Session cache").',
    )
  }
  if (environment === 'production') {
    if (!config.secure) {
      warnings.push(`baseUrl: ${config.baseUrl.origin} is http while NODE_ENV is production; session cookies go without Secure. Use the https origin users open.`)
    }
    if (options.storage === undefined || !durable) {
      warnings.push(
        'storage: every store is in memory while NODE_ENV is production; users and sessions are lost on restart and not shared between processes. Pass postgresStorage or redisStorage (README, "Storage").',
      )
    }
  }
  return warnings
}

/**
 * Warns when the host wrote the options of a feature that sends messages but set no sender for
 * it: the feature's routes answer 404 FEATURE_DISABLED, which looks like a bug in production.
 */
export function warnIfSenderMissing(key: string, input: object | undefined, config: ResolvedConfig, hasSender: boolean): void {
  if (input === undefined || (input as { enabled?: unknown }).enabled === false || hasSender) return
  config.logger.warn(
    `${key}: configured, but no sender is set (delivery.email${key === 'otp' ? ' or delivery.sms' : ''}), so its routes answer 404 FEATURE_DISABLED. Set one (smtpMailer or your own Mailer), or ${key}.enabled: false.`,
    { code: 'CONFIG_WARNING' },
  )
}
