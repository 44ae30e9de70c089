import { z } from 'zod'

/** Zod pieces shared by the base option schema and those of each feature's options. */

export const seconds = z.number().int().positive()

/** A rate-limit rule: `{ max, windowSeconds }`. */
export const rateLimitRule = z.object({ max: z.number().int().positive(), windowSeconds: seconds }).strict()

/** An object with a callable `method` (a clock, a logger, a mailer). */
export const functionWith = (method: string) =>
  z.custom<unknown>((value) => typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function', {
    message: `must be an object with a ${method}() method`,
  })

/** A function option (a callback the host implements). */
export const functionOption = z.custom<unknown>((value) => typeof value === 'function', { message: 'must be a function' })

/** A path on baseUrl's origin: one leading '/', no '//' start. */
export const absolutePath = z.string().max(512).regex(/^\/(?![/\\])[^\s\\?#]*$/, "must be a path starting with a single '/'")

/** A cookie name gatehouse sets. */
export const cookieName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
