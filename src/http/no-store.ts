/** Answers that carry a secret (a token, a TOTP secret, recovery codes) must not land in a cache. */
export const noStoreHeader: [string, string] = ['cache-control', 'no-store']
