import { AuthError, type Gatehouse } from '../../src/index.js'

/** Lagrello's `User` body: the tenant's own id for the user, and the address. */
export interface LagrelloUser {
  userId: string
  email: string
}

export interface Tenant {
  /** The gatehouse user standing for the tenant's backend; its API tokens are the tenant's bearer tokens. */
  tenantId: string
  /** A server-to-server token with the `admin` scope, shown this once. */
  token: string
}

/**
 * The host's own table of tenant-assigned user ids (Lagrello's `userId` is chosen by the tenant,
 * [ext] `CreateUserRequest.userId`): per tenant, external id -> gatehouse user id, and back.
 * gatehouse keeps its own ids; `actAs.resolveUser` and the host routes look ids up here, within
 * the calling tenant only, so another tenant's user is 404. A real host keeps this in its database.
 */
export interface TenantDirectory {
  /** A tenant: a gatehouse user for its backend and an admin-scoped API token. */
  addTenant(input: { name: string }): Promise<Tenant>
  /** Another admin token for a tenant (rotation); revoke old ones with `gate.tokens.revoke`. */
  issueToken(input: { tenantId: string }): Promise<string>
  /**
   * A user of a tenant, under the tenant's id for it (1 to 128 characters). The tenant vouches for
   * the address, so it counts as verified: a magic link then proves the mailbox without undoing
   * what the tenant set up (TOTP).
   */
  addUser(input: { tenantId: string; userId: string; email: string }): Promise<LagrelloUser>
  /** Removes the user from the tenant and from gatehouse (its sessions, TOTP and outstanding links go too). */
  removeUser(input: { tenantId: string; userId: string }): Promise<boolean>
  /** The gatehouse user id of a tenant's user, or null. */
  resolve(tenantId: string, userId: string): string | null
  /** The tenant's id for a gatehouse user, or null when the user is not the tenant's. */
  externalIdOf(tenantId: string, gatehouseUserId: string): string | null
}

/** Lagrello bounds `userId` to 1-128 characters ([ext] openapi.yaml). */
export function isValidUserId(userId: string): boolean {
  return userId.length >= 1 && userId.length <= 128
}

export function createTenantDirectory(gate: Gatehouse): TenantDirectory {
  const byTenant = new Map<string, { toUser: Map<string, string>; toExternal: Map<string, string> }>()
  const tenantOf = (tenantId: string) => {
    const tenant = byTenant.get(tenantId)
    if (tenant === undefined) throw new AuthError('NOT_FOUND', { message: 'No such tenant.' })
    return tenant
  }
  const issueToken = async (tenantId: string) => (await gate.tokens.create({ userId: tenantId, scopes: ['admin'], name: 'server' })).token

  return {
    async addTenant({ name }) {
      // The tenant's backend is an account without a password: only its tokens act for it.
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'tenant'
      const account = await gate.users.signUp({ email: `${slug}@tenants.lagrello.invalid`, password: null, name })
      byTenant.set(account.id, { toUser: new Map(), toExternal: new Map() })
      return { tenantId: account.id, token: await issueToken(account.id) }
    },
    async issueToken({ tenantId }) {
      tenantOf(tenantId)
      return issueToken(tenantId)
    },
    async addUser({ tenantId, userId, email }) {
      const tenant = tenantOf(tenantId)
      if (!isValidUserId(userId)) throw new AuthError('INVALID_REQUEST', { message: 'userId must be 1 to 128 characters.' })
      if (tenant.toUser.has(userId)) throw new AuthError('CONFLICT', { message: 'The tenant already has a user with this id.' })
      const user = await gate.users.signUp({ email, password: null })
      const now = gate.config.clock.now()
      await gate.storage.users.update(user.id, { emailVerifiedAt: now, updatedAt: now })
      tenant.toUser.set(userId, user.id)
      tenant.toExternal.set(user.id, userId)
      return { userId, email: user.email }
    },
    async removeUser({ tenantId, userId }) {
      const tenant = tenantOf(tenantId)
      const id = tenant.toUser.get(userId)
      if (id === undefined) return false
      tenant.toUser.delete(userId)
      tenant.toExternal.delete(id)
      await gate.users.unregister({ userId: id })
      return true
    },
    resolve: (tenantId, userId) => byTenant.get(tenantId)?.toUser.get(userId) ?? null,
    externalIdOf: (tenantId, gatehouseUserId) => byTenant.get(tenantId)?.toExternal.get(gatehouseUserId) ?? null,
  }
}
