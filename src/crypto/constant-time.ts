import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Compares two strings in time that does not depend on where they differ. Both sides are hashed
 * first so that unequal lengths take the same path too.
 */
export function equalsConstantTime(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right)
}
