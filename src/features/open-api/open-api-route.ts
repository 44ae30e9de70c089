import { AuthError } from '../../errors/auth-error.js'
import { defineRoute } from '../../http/route.js'
import { openApiOptions } from './open-api-options.js'

/** The mount's OpenAPI 3.1 document, as shaped; off unless `openApi.serve` is true (it maps the whole auth surface). */
export const openApiRoute = defineRoute({
  name: 'openApiDocument',
  method: 'GET',
  path: '/openapi.json',
  access: 'public',
  async handle({ core }) {
    const { serve, title, version } = openApiOptions.of(core)
    if (!serve) throw new AuthError('FEATURE_DISABLED', { message: 'The OpenAPI document is not served.' })
    return { status: 200, body: core.describeApi({ title, version }), headers: [['cache-control', 'no-cache']] }
  },
})
