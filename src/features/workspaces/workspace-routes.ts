import { z } from 'zod'
import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import { defineRoute } from '../../http/route.js'
import type { MemberRecord } from '../../storage/ports.js'
import { createWorkspace } from './create-workspace.js'
import { removeMember, updateMemberRole } from './manage-members.js'
import { requireMember } from './workspace-access.js'
import { type MemberListing, toMemberListing, toWorkspaceListing } from './workspace-listing.js'

export const workspaceName = z.string().trim().min(1).max(100)
const workspaceParams = z.object({ workspaceId: z.string() })
const memberParams = z.object({ workspaceId: z.string(), userId: z.string() })
const roleBody = z.object({ role: z.string().min(1).max(40) })

/** The members with their users; a member whose user record is gone (mid-deletion) is left out. */
export async function listMemberListings(core: Core, members: MemberRecord[]): Promise<MemberListing[]> {
  const users = await Promise.all(members.map((member) => core.storage.users.getById(member.userId)))
  return members.flatMap((member, index) => {
    const user = users[index]
    return user === null || user === undefined ? [] : [toMemberListing(member, user)]
  })
}

export const workspaceRoutes = [
  defineRoute({
    name: 'workspaceCreate',
    method: 'POST',
    path: '/workspaces',
    access: 'user',
    input: { body: z.object({ name: workspaceName }) },
    async handle({ core, auth, input }) {
      const { workspace, owner } = await createWorkspace(core, { name: input.body.name, ownerId: auth.user.id })
      return { status: 201, body: toWorkspaceListing(workspace, owner) }
    },
  }),
  defineRoute({
    name: 'workspaceList',
    method: 'GET',
    path: '/workspaces',
    access: 'user',
    async handle({ core, auth }) {
      const memberships = await core.storage.workspaces.listByUser(auth.user.id)
      return { status: 200, body: memberships.map(({ workspace, member }) => ({ id: workspace.id, name: workspace.name, role: member.role })) }
    },
  }),
  defineRoute({
    name: 'workspaceGet',
    method: 'GET',
    path: '/workspaces/:workspaceId',
    access: 'user',
    input: { params: workspaceParams },
    async handle({ core, auth, input }) {
      const member = await requireMember(core, input.params.workspaceId, auth.user.id)
      const workspace = await core.storage.workspaces.getById(member.workspaceId)
      if (workspace === null) throw notFound('Workspace')
      return { status: 200, body: toWorkspaceListing(workspace, member) }
    },
  }),
  defineRoute({
    name: 'memberList',
    method: 'GET',
    path: '/workspaces/:workspaceId/members',
    access: 'user',
    input: { params: workspaceParams },
    async handle({ core, auth, input }) {
      const member = await requireMember(core, input.params.workspaceId, auth.user.id)
      return { status: 200, body: await listMemberListings(core, await core.storage.workspaces.listMembers(member.workspaceId)) }
    },
  }),
  defineRoute({
    name: 'memberUpdate',
    method: 'PATCH',
    path: '/workspaces/:workspaceId/members/:userId',
    access: 'user',
    input: { params: memberParams, body: roleBody },
    async handle({ core, auth, input }) {
      const { workspaceId, userId } = input.params
      const member = await updateMemberRole(core, { workspaceId, userId, actorId: auth.user.id, role: input.body.role })
      const [listing] = await listMemberListings(core, [member])
      if (listing === undefined) throw notFound('Member')
      return { status: 200, body: listing }
    },
  }),
  defineRoute({
    name: 'memberRemove',
    method: 'DELETE',
    path: '/workspaces/:workspaceId/members/:userId',
    access: 'user',
    input: { params: memberParams },
    async handle({ core, auth, input }) {
      await removeMember(core, { ...input.params, actorId: auth.user.id })
      return { status: 204 }
    },
  }),
]
