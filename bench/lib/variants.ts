import type { Service } from './service-check.js'

export type Baseline = 'express-bare' | 'koa-bare'

/** A server that answers GET /me for an authenticated user: bench/variants/<name>.ts. */
export interface MeVariant {
  name: string
  label: string
  framework: 'express' | 'koa'
  group: 'baseline' | 'reference' | 'gatehouse' | 'peer'
  /** The bare server of the same framework this variant is compared with. */
  baseline: Baseline
  needs?: readonly Service[]
}

/** Order matters: it is the order inside every interleaved round and in the table. */
export const meVariants: readonly MeVariant[] = [
  { name: 'express-bare', label: 'bare Express 5 (no auth)', framework: 'express', group: 'baseline', baseline: 'express-bare' },
  { name: 'koa-bare', label: 'bare Koa 3 + @koa/router (no auth)', framework: 'koa', group: 'baseline', baseline: 'koa-bare' },
  { name: 'express-reference-guard', label: 'reference guard: cookie, SHA-256, Map (Express)', framework: 'express', group: 'reference', baseline: 'express-bare' },
  { name: 'express-reference-guard-async', label: 'reference guard, answered one promise later (Express)', framework: 'express', group: 'reference', baseline: 'express-bare' },
  { name: 'koa-reference-guard', label: 'reference guard: cookie, SHA-256, Map (Koa)', framework: 'koa', group: 'reference', baseline: 'koa-bare' },
  { name: 'gatehouse-express-memory', label: 'gatehouse cookie session, memory (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare' },
  { name: 'gatehouse-koa-memory', label: 'gatehouse cookie session, memory (Koa)', framework: 'koa', group: 'gatehouse', baseline: 'koa-bare' },
  { name: 'gatehouse-express-bearer', label: 'gatehouse Bearer session token, memory (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare' },
  { name: 'gatehouse-express-api-token', label: 'gatehouse Bearer API token, memory (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare' },
  { name: 'gatehouse-express-redis', label: 'gatehouse cookie session, Redis sessions (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare', needs: ['redis'] },
  { name: 'gatehouse-express-postgres', label: 'gatehouse cookie session, Postgres storage (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare', needs: ['postgres'] },
  { name: 'gatehouse-express-redis-cache', label: 'gatehouse cookie session, Redis sessions + sessionCache, 2 processes (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare', needs: ['redis'] },
  { name: 'gatehouse-express-postgres-cache', label: 'gatehouse cookie session, Postgres storage + sessionCache, 2 processes (Express)', framework: 'express', group: 'gatehouse', baseline: 'express-bare', needs: ['postgres'] },
  { name: 'express-session-passport', label: 'express-session (MemoryStore) + passport', framework: 'express', group: 'peer', baseline: 'express-bare' },
  { name: 'better-auth', label: 'better-auth getSession (memory adapter)', framework: 'express', group: 'peer', baseline: 'express-bare' },
  { name: 'better-auth-cookie-cache', label: 'better-auth getSession + cookieCache', framework: 'express', group: 'peer', baseline: 'express-bare' },
  { name: 'iron-session', label: 'iron-session getIronSession', framework: 'express', group: 'peer', baseline: 'express-bare' },
  { name: 'jwt', label: 'JWT (jose HS256 verify, Bearer)', framework: 'express', group: 'peer', baseline: 'express-bare' },
]

/** A login benchmark: POST `path` with the bench user's JSON credentials on `variant`'s server. */
export interface LoginScenario {
  name: string
  label: string
  variant: string
  path: string
}

export const loginScenarios: readonly LoginScenario[] = [
  { name: 'login-reference', label: 'reference: argon2id verify + Map session (Express)', variant: 'login-reference', path: '/login' },
  { name: 'login-gatehouse', label: 'gatehouse POST /auth/session, memory (Express)', variant: 'gatehouse-express-memory', path: '/auth/session' },
]

/** `--only guard`: the guard's own cost per check, in process (bench/lib/guard-suite.ts). */
export const guardSuiteName = 'guard'
