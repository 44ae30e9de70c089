import { z } from 'zod'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ account })`: what `profileUpdate` and `unregister` ask of the caller. */
export interface AccountOptions {
  /** Whether `profileUpdate` takes `email` (a move of the account to another address). False: `email` is refused with 400 like any unknown field. Default true. */
  emailChange?: boolean | undefined
  /**
   * Whether `unregister` needs `{ password }` from an account that has one. False deletes on the
   * caller's credential alone (an API whose unregister has no body, such as Pupil Cloud's). Default true.
   */
  unregisterNeedsPassword?: boolean | undefined
}

export interface ResolvedAccountOptions {
  emailChange: boolean
  unregisterNeedsPassword: boolean
}

const accountOptionsSchema = z.object({ emailChange: z.boolean(), unregisterNeedsPassword: z.boolean() }).partial().strict()

export const accountOptions = defineFeatureOptions(
  'account',
  accountOptionsSchema,
  (input: AccountOptions | undefined): ResolvedAccountOptions => ({
    emailChange: input?.emailChange ?? true,
    unregisterNeedsPassword: input?.unregisterNeedsPassword ?? true,
  }),
)
