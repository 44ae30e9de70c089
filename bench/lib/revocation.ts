import type { RunningVariant } from './child-process.js'

/** How long a revoked credential is polled for before it counts as still accepted. */
export const revocationBoundMs = 2000

/**
 * How long after a revocation the revoked credential still got 200 on GET /me, for one run:
 * `acceptedMs` is the time to the first refusal, null when it was still accepted at the bound.
 * `note` is the variant's own word on it (e.g. a stateless token that cannot be revoked).
 */
export interface RevocationSample {
  acceptedMs: number | null
  note: string
}

/**
 * POST /bench/revoke on the variant (it revokes its bench credential server-side: in the other
 * process for the two-process variants), then polls GET /me with the old credential until it is
 * refused, bounded. Null for variants without the route (the bare baselines).
 */
export async function measureRevocation(variant: RunningVariant): Promise<RevocationSample | null> {
  const revoke = await fetch(variant.url('/bench/revoke'), { method: 'POST', headers: variant.headers, signal: AbortSignal.timeout(10_000) })
  if (revoke.status === 404) return null
  if (!revoke.ok) throw new Error(`POST /bench/revoke answered ${revoke.status}`)
  const { note } = (await revoke.json()) as { note?: unknown }
  const start = performance.now()
  for (let attempt = 0; attempt < 100_000 && performance.now() - start < revocationBoundMs; attempt++) {
    const me = await fetch(variant.url('/me'), { headers: variant.headers, signal: AbortSignal.timeout(5000) })
    await me.arrayBuffer()
    if (me.status !== 200) return { acceptedMs: performance.now() - start, note: typeof note === 'string' ? note : '' }
  }
  return { acceptedMs: null, note: typeof note === 'string' ? note : '' }
}
