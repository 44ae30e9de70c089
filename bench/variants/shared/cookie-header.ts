/** Turns a response's Set-Cookie headers into the Cookie header a browser would send back. */
export function cookieHeaderFrom(response: Response): string {
  const pairs = response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('='))
  if (pairs.length === 0) throw new Error(`no cookie set (status ${response.status})`)
  return pairs.join('; ')
}
