import { type Operation, bindOperation } from '../bind-operation.js'
import { defineFeature } from '../feature.js'
import { auditOptions } from './audit-options.js'
import { auditRoutes } from './audit-routes.js'
import { listSecurityEvents } from './list-security-events.js'

export interface AuditApi {
  audit: {
    /**
     * Kept security events matching every filter given (`userId`, `workspaceId`, `since` in ms),
     * newest first, at most `limit` (default 50, at most 1000). 404 FEATURE_DISABLED without `audit.store`.
     */
    list: Operation<typeof listSecurityEvents>
  }
}

/** Keeps security events in `audit.store` and shows users their own recent ones. */
export const auditFeature = defineFeature({
  name: 'audit',
  options: auditOptions,
  routes: auditRoutes,
  gate: (core): AuditApi => ({ audit: { list: bindOperation(core, listSecurityEvents) } }),
  async deleteUser(core, userId) {
    await auditOptions.of(core).store?.deleteByUser(userId)
  },
})
