/** The one user every variant signs up and signs in. */
export const benchUser = {
  email: 'bench@example.com',
  password: 'correct horse battery staple 42',
  name: 'Bench User',
} as const

/** OWASP argon2id parameters, the ones gatehouse uses by default. */
export const argon2idDefaults = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const
