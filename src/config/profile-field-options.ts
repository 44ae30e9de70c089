import { z } from 'zod'

/** A value of a host-declared profile field as stored and answered; a timestamp is an ISO time. */
export type ProfileValue = string | boolean | null

/**
 * One host-declared profile field (`createGatehouse({ profileFields })`), kept on the user and
 * answered as `user.profile`. `writable: false` fields are refused (400) in `profileUpdate`,
 * like `id`; a login that creates the user may still set them where a route says so.
 */
export type ProfileFieldOption =
  | { type: 'string'; maxLength?: number | undefined; writable?: boolean | undefined; default?: string | null | undefined }
  /** An http(s) URL (a photo), so no `javascript:` link reaches a page that shows it. */
  | { type: 'url'; writable?: boolean | undefined; default?: string | null | undefined }
  | { type: 'boolean'; writable?: boolean | undefined; default?: boolean | undefined }
  /**
   * A time only the server writes: `profileUpdate` with `{ [setBy]: true }` sets it to now (kept
   * when already set), `false` clears it (Pupil's `onboarded` sets `onboarded_at`).
   */
  | { type: 'timestamp'; setBy?: string | undefined }

export interface ResolvedProfileField {
  name: string
  option: ProfileFieldOption
  writable: boolean
  initial: ProfileValue
}

export interface ResolvedProfileFields {
  fields: readonly ResolvedProfileField[]
  /** The zod shape of the fields a client may write (each optional), timestamp flags included. */
  writableShape: Record<string, z.ZodType>
}

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a letter then up to 63 letters, digits or _')
/** Names the user or profileUpdate already uses. */
const reservedNames = new Set(['id', 'email', 'name', 'currentPassword', 'emailVerified', 'createdAt', 'updatedAt', 'profile', 'password', 'passwordHash'])

const writable = z.boolean().optional()
const fieldSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), maxLength: z.number().int().min(1).max(100_000).optional(), writable, default: z.string().nullable().optional() }).strict(),
  z.object({ type: z.literal('url'), writable, default: z.url({ protocol: /^https?$/ }).nullable().optional() }).strict(),
  z.object({ type: z.literal('boolean'), writable, default: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('timestamp'), setBy: fieldName.optional() }).strict(),
])

export const profileFieldsSchema = z
  .record(fieldName, fieldSchema)
  .superRefine((fields, ctx) => {
    const taken = new Set<string>()
    for (const [name, option] of Object.entries(fields)) {
      const names = option.type === 'timestamp' && option.setBy !== undefined ? [name, option.setBy] : [name]
      for (const each of names) {
        if (reservedNames.has(each) || taken.has(each)) ctx.addIssue({ code: 'custom', path: [name], message: `'${each}' is already a user or profile field name` })
        taken.add(each)
      }
    }
  })
  .optional()

function valueSchema(option: ProfileFieldOption): z.ZodType {
  switch (option.type) {
    case 'string':
      return z.string().max(option.maxLength ?? 1000).nullable()
    case 'url':
      return z.url({ protocol: /^https?$/ }).max(2048).nullable()
    case 'boolean':
      return z.boolean()
    case 'timestamp':
      return z.boolean()
  }
}

export function resolveProfileFields(options: Record<string, ProfileFieldOption> | undefined): ResolvedProfileFields {
  const fields: ResolvedProfileField[] = []
  const writableShape: Record<string, z.ZodType> = {}
  for (const [name, option] of Object.entries(options ?? {})) {
    const initial = option.type === 'boolean' ? (option.default ?? false) : option.type === 'timestamp' ? null : (option.default ?? null)
    const isWritable = option.type === 'timestamp' ? false : (option.writable ?? true)
    fields.push({ name, option, writable: isWritable, initial })
    if (isWritable) writableShape[name] = valueSchema(option).optional()
    if (option.type === 'timestamp' && option.setBy !== undefined) writableShape[option.setBy] = valueSchema(option).optional()
  }
  return { fields, writableShape }
}

/**
 * The profile of a new user: each field's default, then `given` (values already checked by a
 * route's schema, read-only fields included: the route creating the user decides those). Null
 * when no field is declared, so a host without profile fields stores none.
 */
export function initialProfile(resolved: ResolvedProfileFields, given: Record<string, ProfileValue> = {}): Record<string, ProfileValue> | undefined {
  if (resolved.fields.length === 0) return undefined
  const profile: Record<string, ProfileValue> = {}
  for (const field of resolved.fields) profile[field.name] = Object.hasOwn(given, field.name) ? given[field.name]! : field.initial
  return profile
}

/**
 * `current` with the writable fields and timestamp flags of `input` applied (`input` already
 * passed `writableShape`); null when nothing in `input` is a profile field.
 */
export function applyProfileInput(
  resolved: ResolvedProfileFields,
  current: Record<string, ProfileValue> | undefined,
  input: Record<string, unknown>,
  now: number,
): Record<string, ProfileValue> | null {
  const next: Record<string, ProfileValue> = { ...initialProfile(resolved), ...current }
  let changed = false
  for (const field of resolved.fields) {
    const { option } = field
    if (option.type === 'timestamp') {
      const flag = option.setBy === undefined ? undefined : input[option.setBy]
      if (flag === undefined) continue
      // Setting a time that is already set keeps the first one: it says when, not how often.
      next[field.name] = flag === true ? (next[field.name] ?? new Date(now).toISOString()) : null
      changed = true
    } else if (field.writable && input[field.name] !== undefined) {
      next[field.name] = input[field.name] as ProfileValue
      changed = true
    }
  }
  return changed ? next : null
}
