import { z } from 'zod'
import { defineRoute } from '../../http/route.js'
import { describeServiceProvider, requireSsoConfig, saveSsoConfig, ssoConfigBody, toSsoConfigListing } from './sso-config.js'
import { notFound } from '../../errors/auth-error.js'

const workspaceParams = z.object({ workspaceId: z.string() })
// Checked before the body is read, so a member learns nothing from validation errors.
const admin = { workspaceRole: 'admin' } as const

/** Only a workspace's admins (and owners) read or change its SSO; a non-member gets 404 like every workspace route. */
export const ssoConfigRoutes = [
  defineRoute({
    name: 'ssoConfigGet',
    method: 'GET',
    path: '/workspaces/:workspaceId/sso',
    access: 'user',
    needs: admin,
    input: { params: workspaceParams },
    async handle({ core, input }) {
      const { workspaceId } = input.params
      const config = await requireSsoConfig(core, workspaceId)
      return { status: 200, body: { config: toSsoConfigListing(config), sp: describeServiceProvider(core, workspaceId) } }
    },
  }),
  defineRoute({
    name: 'ssoConfigPut',
    method: 'POST',
    path: '/workspaces/:workspaceId/sso',
    access: 'user',
    needs: admin,
    input: { params: workspaceParams, body: ssoConfigBody },
    async handle({ core, input }) {
      const { workspaceId } = input.params
      const config = await saveSsoConfig(core, workspaceId, input.body)
      return { status: 200, body: { config: toSsoConfigListing(config), sp: describeServiceProvider(core, workspaceId) } }
    },
  }),
  defineRoute({
    name: 'ssoConfigSetEnabled',
    method: 'PATCH',
    path: '/workspaces/:workspaceId/sso',
    access: 'user',
    needs: admin,
    input: { params: workspaceParams, body: z.object({ enabled: z.boolean() }) },
    async handle({ core, input }) {
      const { workspaceId } = input.params
      if (!(await core.storage.workspaces.setSsoEnabled(workspaceId, input.body.enabled, core.config.clock.now()))) throw notFound('SSO configuration')
      return { status: 200, body: { enabled: input.body.enabled } }
    },
  }),
  defineRoute({
    name: 'ssoConfigDelete',
    method: 'DELETE',
    path: '/workspaces/:workspaceId/sso',
    access: 'user',
    needs: admin,
    input: { params: workspaceParams },
    async handle({ core, input }) {
      const { workspaceId } = input.params
      if (!(await core.storage.workspaces.deleteSsoConfig(workspaceId))) throw notFound('SSO configuration')
      return { status: 204 }
    },
  }),
]
