import { defineFeature } from '../feature.js'
import { canInWorkspace } from './workspace-access.js'
import { createWorkspace } from './create-workspace.js'
import { deleteUserWorkspaces, deleteWorkspace } from './delete-workspace.js'
import { type MemberListing, type WorkspaceListing, toWorkspaceListing } from './workspace-listing.js'
import { addMember, removeMember, updateMemberRole } from './manage-members.js'
import { workspaceOptions } from './workspace-options.js'
import { listMemberListings, workspaceRoutes } from './workspace-routes.js'

/** Workspaces with members in roles; `actorId` is whoever acts, checked like the routes check a caller. */
export interface WorkspacesApi {
  workspaces: {
    /** A new workspace owned by `ownerId`: `{ id, name, role: 'owner', createdAt }`. 404 for an unknown user. */
    create(input: { name: string; ownerId: string }): Promise<WorkspaceListing>
    /** The workspace as `userId` sees it, or null when they are not a member. */
    get(input: { workspaceId: string; userId: string }): Promise<WorkspaceListing | null>
    /** The user's workspaces, in the order they joined. */
    list(input: { userId: string }): Promise<WorkspaceListing[]>
    /** The workspace's members, oldest first. */
    listMembers(input: { workspaceId: string }): Promise<MemberListing[]>
    /** Adds a member with `role` without any check of who asks (the host's own call). 409 ALREADY_MEMBER, 404, 400 for an unknown role. */
    addMember(input: { workspaceId: string; userId: string; role: string }): Promise<void>
    /** As the memberUpdate route: `actorId` must be an admin and may not grant above their own role; the last owner stays. */
    updateMember(input: { workspaceId: string; actorId: string; userId: string; role: string }): Promise<void>
    /** As the memberRemove route: a member leaves (actorId = userId) or an admin removes one not above them. */
    removeMember(input: { workspaceId: string; actorId: string; userId: string }): Promise<void>
    /** Whether `userId` is a member whose role holds `permission` (owners and admins hold all). */
    can(input: { workspaceId: string; userId: string; permission: string }): Promise<boolean>
    /** Deletes the workspace with its members and invitations; false when it did not exist. */
    delete(input: { workspaceId: string }): Promise<boolean>
  }
}

export const workspacesFeature = defineFeature({
  name: 'workspaces',
  options: workspaceOptions,
  stores: ['workspaces', 'invitations'],
  routes: workspaceRoutes,
  gate: (core): WorkspacesApi => ({
    workspaces: {
      create: async (input) => {
        const { workspace, owner } = await createWorkspace(core, input)
        return toWorkspaceListing(workspace, owner)
      },
      get: async ({ workspaceId, userId }) => {
        const [member, workspace] = await Promise.all([core.storage.workspaces.getMember(workspaceId, userId), core.storage.workspaces.getById(workspaceId)])
        return member === null || workspace === null ? null : toWorkspaceListing(workspace, member)
      },
      list: async ({ userId }) => (await core.storage.workspaces.listByUser(userId)).map(({ workspace, member }) => toWorkspaceListing(workspace, member)),
      listMembers: async ({ workspaceId }) => listMemberListings(core, await core.storage.workspaces.listMembers(workspaceId)),
      addMember: async (input) => {
        await addMember(core, input)
      },
      updateMember: async (input) => {
        await updateMemberRole(core, input)
      },
      removeMember: (input) => removeMember(core, input),
      can: ({ workspaceId, userId, permission }) => canInWorkspace(core, workspaceId, userId, permission),
      delete: ({ workspaceId }) => deleteWorkspace(core, workspaceId),
    },
  }),
  deleteUser: async (core, userId) => {
    const user = await core.storage.users.getById(userId)
    await deleteUserWorkspaces(core, userId, user?.email ?? '')
  },
})
