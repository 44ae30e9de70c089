import type { Core } from '../../core.js'
import { notFound } from '../../errors/auth-error.js'
import type { IssueSessionInput } from './issue-session.js'

function fail(field: string, expected: string): never {
  throw new TypeError(`gate.sessions.issue: ${field} must be ${expected}`)
}

/**
 * gate.sessions.issue's input, checked before anything is stored: a JavaScript caller's wrong or
 * missing field is a TypeError naming it (the types say the same at compile time), and a user id
 * that names no user is 404, so no session of nobody is ever issued.
 */
export async function checkIssueInput(core: Core, input: IssueSessionInput): Promise<IssueSessionInput> {
  if (typeof input !== 'object' || input === null) fail('the input', 'an object')
  const { userId, factors, pendingSecondFactor, lifetimeSeconds, ip, userAgent } = input
  if (typeof userId !== 'string' || userId === '') fail('userId', 'a non-empty string')
  if (!Array.isArray(factors)) fail('factors', "an array such as [{ method: 'password', at: Date.now() }]")
  for (const factor of factors as unknown[]) {
    const { method, at } = (factor ?? {}) as { method?: unknown; at?: unknown }
    if (typeof method !== 'string' || method === '' || typeof at !== 'number' || !Number.isFinite(at)) fail('each factor', '{ method: string, at: epoch ms }')
  }
  if (pendingSecondFactor !== undefined && typeof pendingSecondFactor !== 'boolean') fail('pendingSecondFactor', 'a boolean')
  if (lifetimeSeconds !== undefined && !(typeof lifetimeSeconds === 'number' && lifetimeSeconds > 0)) fail('lifetimeSeconds', 'a positive number')
  if (ip !== undefined && ip !== null && typeof ip !== 'string') fail('ip', 'a string or null')
  if (userAgent !== undefined && userAgent !== null && typeof userAgent !== 'string') fail('userAgent', 'a string or null')
  if ((await core.storage.users.getById(userId)) === null) throw notFound('User')
  return input
}
