import type { Core } from '../../core.js'
import { createRecordId } from '../../crypto/random-token.js'
import { notFound } from '../../errors/auth-error.js'
import type { MemberRecord, WorkspaceRecord } from '../../storage/ports.js'

/** A new workspace whose one member, its owner, is `ownerId`. 404 when that user does not exist. */
export async function createWorkspace(core: Core, input: { name: string; ownerId: string }): Promise<{ workspace: WorkspaceRecord; owner: MemberRecord }> {
  if ((await core.storage.users.getById(input.ownerId)) === null) throw notFound('User')
  const now = core.config.clock.now()
  const workspace: WorkspaceRecord = { id: await createRecordId(core.config, 'workspace'), name: input.name, createdAt: now }
  const owner: MemberRecord = { workspaceId: workspace.id, userId: input.ownerId, role: 'owner', joinedAt: now }
  await core.storage.workspaces.create(workspace, owner)
  return { workspace, owner }
}
