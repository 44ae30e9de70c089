import type { Core } from '../../core.js'
import type { PublishedKey } from './federation-keys.js'
import { federationOptions } from './federation-options.js'

/**
 * The public keys of every asymmetric audience: the signing ones, and retired ones until the
 * last token they could have signed has expired (retiredAt + the audience's lifetime).
 */
export function publishKeys(core: Core): PublishedKey['jwk'][] {
  const now = core.config.clock.now()
  return [...federationOptions.of(core).audiences.values()].flatMap((audience) =>
    audience.published.filter((key) => key.retiredAt === null || now < key.retiredAt + audience.lifetimeSeconds * 1000).map((key) => key.jwk),
  )
}
