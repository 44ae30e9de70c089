import { defineFeature } from '../feature.js'
import { openApiOptions } from './open-api-options.js'
import { openApiRoute } from './open-api-route.js'

/** GET /openapi.json: the OpenAPI document of the mount, derived from the route table (`gate.openApi` builds the same). */
export const openApiFeature = defineFeature({ name: 'openApi', options: openApiOptions, routes: [openApiRoute] })
