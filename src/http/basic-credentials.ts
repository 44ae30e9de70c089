/** The user name and password of an `Authorization: Basic` value, or null when it has no 'name:' part. */
export function decodeBasicCredentials(encoded: string): { userName: string; password: string } | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return null
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
