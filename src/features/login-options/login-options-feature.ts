import { defineFeature } from '../feature.js'
import { loginOptionsRoute } from './login-options-route.js'

/** GET /login-options: the ways in, as every installed feature describes its own. */
export const loginOptionsFeature = defineFeature({ name: 'loginOptions', routes: [loginOptionsRoute] })
