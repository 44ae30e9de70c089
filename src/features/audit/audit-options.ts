import { z } from 'zod'
import { functionWith } from '../../config/option-schemas.js'
import type { AuditStore } from '../../storage/ports.js'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ audit })`: where security events are kept. Without a store they only go to `onEvent`. */
export interface AuditOptions {
  /** `memoryAuditStore()`, `postgresAuditStore(pool)` or your own (the conformance kit checks it). */
  store?: AuditStore | undefined
  /** Most events the `auditList` route answers at once. Default 50, at most 1000. */
  maxListed?: number | undefined
}

export interface ResolvedAuditOptions {
  store: AuditStore | null
  maxListed: number
}

const auditOptionsSchema = z
  .object({
    store: functionWith('append').and(functionWith('list')).and(functionWith('deleteByUser')),
    maxListed: z.number().int().min(1).max(1000),
  })
  .partial()
  .strict()

/** `createGatehouse({ audit })`, resolved: read with `auditOptions.of(core)`. */
export const auditOptions = defineFeatureOptions('audit', auditOptionsSchema, (input: AuditOptions | undefined): ResolvedAuditOptions => ({
  store: input?.store ?? null,
  maxListed: input?.maxListed ?? 50,
}))
