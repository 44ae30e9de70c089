import { z } from 'zod'
import { defineFeatureOptions } from '../feature-options.js'

/** `createGatehouse({ openApi })`: the route serving the mount's OpenAPI document. */
export interface OpenApiServeOptions {
  /** Whether GET /openapi.json answers the document. Default false: it answers 404 FEATURE_DISABLED. */
  serve?: boolean | undefined
  /** The document's `info.title`. Default 'gatehouse'. */
  title?: string | undefined
  /** The document's `info.version`. Default '1.0.0'. */
  version?: string | undefined
}

export const openApiOptions = defineFeatureOptions(
  'openApi',
  z.object({ serve: z.boolean(), title: z.string().min(1).max(200), version: z.string().min(1).max(64) }).partial().strict(),
  (input: OpenApiServeOptions | undefined) => ({ serve: input?.serve ?? false, title: input?.title, version: input?.version }),
)
