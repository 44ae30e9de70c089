import { guardSuiteName, type LoginScenario, type MeVariant } from './variants.js'

/**
 * Applies --only: the named GET /me variants (plus the bare baselines their ratios need) and the
 * named login scenarios (`guard` names the in-process guard suite). Unknown names are an error, so a typo never runs an empty benchmark.
 */
export function selectScenarios(
  only: readonly string[],
  me: readonly MeVariant[],
  login: readonly LoginScenario[],
): { me: MeVariant[]; login: LoginScenario[] } {
  if (only.length === 0) return { me: [...me], login: [...login] }
  const known = new Set([...me.map((v) => v.name), ...login.map((l) => l.name), guardSuiteName])
  const unknown = only.filter((name) => !known.has(name))
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`)
  const wanted = new Set(only)
  const chosen = me.filter((v) => wanted.has(v.name))
  const baselines = new Set(chosen.map((v) => v.baseline))
  return {
    me: me.filter((v) => wanted.has(v.name) || baselines.has(v.name as MeVariant['baseline'])),
    login: login.filter((l) => wanted.has(l.name)),
  }
}
