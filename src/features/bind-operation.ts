import type { Core } from '../core.js'

/** An operation of the core with the core already given: what the gate object exposes. */
export type Operation<F> = F extends (core: Core, ...rest: infer A) => infer R ? (...rest: A) => R : never

export function bindOperation<F extends (core: Core, ...rest: never[]) => unknown>(core: Core, operation: F): Operation<F> {
  return ((...rest: never[]) => operation(core, ...rest)) as Operation<F>
}
