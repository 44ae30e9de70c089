import type { z } from 'zod'
import { invalidRequest } from '../errors/auth-error.js'
import type { AuthRequest } from './types.js'

/** Validates a value against a schema; 400 INVALID_REQUEST listing each problem (never the values). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
  throw invalidRequest(details)
}

/** The request body, validated. A missing body counts as `{}` so that the schema names the missing fields. */
export async function readBody<T>(req: AuthRequest, schema: z.ZodType<T>): Promise<T> {
  return parseInput(schema, (await req.readBody()) ?? {})
}

/** The query string, validated as a flat object of its first values. */
export function readQuery<T>(req: AuthRequest, schema: z.ZodType<T>): T {
  return parseInput(schema, Object.fromEntries(req.query()))
}
