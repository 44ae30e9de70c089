import { z } from 'zod'
import { errorCatalogue } from '../errors/error-catalogue.js'

/** Checks of `shape` and `responses`, once at createGatehouse; the types say the same to a TypeScript host. */

const fn = z.custom<unknown>((value) => typeof value === 'function', { message: 'must be a function' })
const status = z.number().int().min(100).max(599)
const sourcePattern = /^(text|(body|query|header|param|cookie|user):[^\s:]{1,128})$/
const fieldSource = z.union([z.string().regex(sourcePattern, "must be 'text' or 'body:', 'query:', 'header:', 'param:', 'cookie:' or 'user:' and a name"), fn])
const fieldMap = z.record(z.string().min(1).max(128), fieldSource)

const errorShape = z
  .object({
    status: z
      .record(z.string(), status)
      .superRefine((map, ctx) => {
        for (const code of Object.keys(map)) if (!(code in errorCatalogue)) ctx.addIssue({ code: 'custom', path: [code], message: 'is not an error code' })
      }),
    body: fn,
  })
  .partial()
  .strict()

const outputShape = z
  .object({
    case: z.enum(['snake', 'camel']),
    rename: z.record(z.string().min(1), z.string().min(1)),
    fieldsQuery: z.string().min(1).max(64),
  })
  .partial()
  .strict()

export const routeShapeSchema = z
  .object({
    input: z.object({ body: fieldMap, query: fieldMap, params: fieldMap }).partial().strict(),
    success: z.object({ status: z.union([status, fn]), body: z.union([z.literal('empty'), fn]) }).partial().strict(),
    errors: errorShape,
    output: outputShape,
    actAs: z.object({ param: z.string().min(1), scope: z.string().min(1), resolveUser: fn }).strict(),
    // A global or sticky RegExp keeps state between tests: one request's match would move the next one's start.
    paramFormats: z.record(
      z.string().min(1),
      z.instanceof(RegExp, { message: 'must be a RegExp' }).refine((pattern) => !pattern.global && !pattern.sticky, 'must not have the g or y flag'),
    ),
    doubleSubmit: z.object({ cookie: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'must be a cookie name'), field: z.string().min(1).max(128) }).strict(),
  })
  .partial()
  .strict()

export const mountShapeSchema = z.object({ envelope: fn, errors: errorShape, output: outputShape }).partial().strict()
