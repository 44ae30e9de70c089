import type { z } from 'zod'
import type { Core } from '../core.js'
import type { ResolvedConfig } from '../config/base-options.js'

/**
 * A feature's own options: the key they sit under in `createGatehouse`'s options, their schema,
 * and how defaults are filled in. `of(core)` reads the resolved value anywhere the feature's code
 * has the core, so no shared config type lists every feature.
 */
export interface FeatureOptions<Key extends string = string, Input = unknown, Resolved = unknown> {
  readonly key: Key
  /** Checks the options as passed; `Input` is what the README documents. */
  readonly schema: z.ZodType
  /** Fills in defaults; runs once, after every option passed its schema. Throws ConfigError for cross-field problems. */
  resolve(input: Input | undefined, base: ResolvedConfig): Resolved
  of(core: Core): Resolved
}

/** Declares a feature's options (the one place their key, schema and defaults are written). */
export function defineFeatureOptions<const Key extends string, Input, Resolved>(
  key: Key,
  schema: z.ZodType,
  resolve: (input: Input | undefined, base: ResolvedConfig) => Resolved,
): FeatureOptions<Key, Input, Resolved> {
  return {
    key,
    schema,
    resolve,
    of(core) {
      if (!core.featureOptions.has(key)) throw new Error(`gatehouse: no feature with options '${key}' is installed`)
      return core.featureOptions.get(key) as Resolved
    },
  }
}
