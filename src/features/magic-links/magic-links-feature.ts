import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { consumeMagicLink } from './consume-magic-link.js'
import { magicLinkOptions } from './magic-link-options.js'
import { magicLinkRoutes } from './magic-link-routes.js'
import { magicLinksAvailable } from './magic-link-redirect.js'
import { sendMagicLink } from './send-magic-link.js'

export interface MagicLinksApi {
  magicLinks: {
    /** Mails a sign-in link to the address (null when nobody was mailed: unknown address without `createUsers`). */
    send: Operation<typeof sendMagicLink>
    /**
     * `consume(token, { presentedSessionId? })`: uses a link up and answers its user. Pass the id of
     * the session the request carried (`req.auth.session.id`), if any: on the first proof of an
     * unverified address, only the account's own complete session keeps what was set up before;
     * without it (the default) sessions, tokens, second factors and the password end, since whoever
     * signed up with the address before its owner may have set them up.
     */
    consume: Operation<typeof consumeMagicLink>
  }
}

/** Sign-in links by e-mail, with a confirm page so mail scanners cannot use them up. */
export const magicLinksFeature = defineFeature({
  name: 'magicLinks',
  options: magicLinkOptions,
  stores: ['users', 'verifications', 'limits'],
  routes: magicLinkRoutes,
  gate: (core): MagicLinksApi => ({ magicLinks: { send: bindOperation(core, sendMagicLink), consume: bindOperation(core, consumeMagicLink) } }),
  loginOptions: (core) => ({ magicLink: magicLinksAvailable(core) }),
})
