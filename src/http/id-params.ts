import { z } from 'zod'

/** The `:id` parameter of a route. Any value: an id that matches nothing answers 404, not 400. */
export const idParams = z.object({ id: z.string() })
