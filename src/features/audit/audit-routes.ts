import { z } from 'zod'
import { defineRoute } from '../../http/route.js'
import { noStoreHeader } from '../../http/no-store.js'
import { auditOptions } from './audit-options.js'
import { listSecurityEvents } from './list-security-events.js'

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
})

export const auditRoutes = [
  defineRoute({
    name: 'auditList',
    method: 'GET',
    path: '/security-events',
    access: 'user',
    // A read-only token must not read where its owner signed in from.
    manageScope: true,
    input: { query: listQuery },
    async handle({ core, auth, input: { query } }) {
      const { maxListed } = auditOptions.of(core)
      const events = await listSecurityEvents(core, {
        userId: auth.user.id,
        since: query.since === undefined ? undefined : Date.parse(query.since),
        limit: Math.min(query.limit ?? maxListed, maxListed),
      })
      return { status: 200, headers: [noStoreHeader], body: events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })) }
    },
  }),
]
