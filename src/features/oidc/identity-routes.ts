import { idParams } from '../../http/id-params.js'
import { defineRoute } from '../../http/route.js'
import { toIdentityListing } from './identity-listing.js'
import { unlinkIdentity } from './unlink-identity.js'

export const identityRoutes = [
  defineRoute({
    name: 'identityList',
    method: 'GET',
    path: '/identities',
    access: 'user',
    async handle({ core, auth }) {
      return { status: 200, body: (await core.storage.identities.listByUser(auth.user.id)).map(toIdentityListing) }
    },
  }),
  defineRoute({
    name: 'identityUnlink',
    method: 'DELETE',
    path: '/identities/:id',
    access: 'user',
    input: { params: idParams },
    async handle({ core, auth, input: { params } }) {
      await unlinkIdentity(core, { userId: auth.user.id, identityId: params.id })
      return { status: 204 }
    },
  }),
]
