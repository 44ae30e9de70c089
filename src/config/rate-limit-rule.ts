/** A rate limit: at most `max` attempts per `windowSeconds`. */
export interface RateLimitRule {
  max: number
  windowSeconds: number
}
