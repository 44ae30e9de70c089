import { type PublicUser, toPublicUser } from '../../http/auth-context.js'
import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { consumeMagicLink } from './consume-magic-link.js'
import { magicLinkOptions } from './magic-link-options.js'
import { magicLinkRoutes } from './magic-link-routes.js'
import { magicLinksAvailable } from './magic-link-redirect.js'
import { sendMagicLink } from './send-magic-link.js'

export interface MagicLinksApi {
  magicLinks: {
    /**
     * Mails a sign-in link to `email` or to the user `userId`; answers `{ sentTo, expiresAt }`, or
     * null when nobody was mailed (unknown address without `createUsers`). 400 INVALID_REDIRECT, 404 FEATURE_DISABLED.
     */
    send: Operation<typeof sendMagicLink>
    /**
     * Uses a link's token up and answers `{ user, redirectTo }`; 401 INVALID_TOKEN for an unknown,
     * used or expired one. Pass the id of the session the request carried (`req.auth.session.id`)
     * as `presentedSessionId`, if any: on the first proof of an unverified address, only the
     * account's own complete session keeps what was set up before; without it (the default)
     * sessions, tokens, second factors and the password end, since whoever signed up with the
     * address before its owner may have set them up. No session is begun: call `sessions.issue`.
     */
    consume(input: { token: string; presentedSessionId?: string | undefined }): Promise<{ user: PublicUser; redirectTo: string }>
  }
}

/** Sign-in links by e-mail, with a confirm page so mail scanners cannot use them up. */
export const magicLinksFeature = defineFeature({
  name: 'magicLinks',
  options: magicLinkOptions,
  stores: ['users', 'verifications', 'limits'],
  routes: magicLinkRoutes,
  gate: (core): MagicLinksApi => ({
    magicLinks: {
      send: bindOperation(core, sendMagicLink),
      consume: async ({ token, presentedSessionId }) => {
        const { user, redirectTo } = await consumeMagicLink(core, token, { presentedSessionId })
        return { user: toPublicUser(user), redirectTo }
      },
    },
  }),
  loginOptions: (core) => ({ magicLink: magicLinksAvailable(core) }),
})
