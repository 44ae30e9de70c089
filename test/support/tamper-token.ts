/** The token with its last character changed (always to a different one, so the test cannot pass by luck). */
export function tamperToken(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
}
