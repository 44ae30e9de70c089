import type { Core } from '../core.js'
import type { RouteDefinition } from '../http/route.js'
import type { StorageName } from '../storage/ports.js'
import type { FeatureOptions } from './feature-options.js'

/**
 * One feature of gatehouse, built in or the host's own: everything it adds, declared in one
 * object so that adding a feature edits no shared file. `createGatehouse` validates its options
 * with the rest, mounts its routes, checks its stores, merges its gate functions and its part of
 * loginOptions, and runs its clean-up when a user is deleted.
 */
export interface Feature<Api extends object = object, Options extends FeatureOptions | undefined = FeatureOptions | undefined> {
  /** Unique among installed features; used in error messages. */
  readonly name: string
  readonly options?: Options
  /** The stores the feature uses; createGatehouse refuses `storage` that lacks one. */
  readonly stores?: readonly StorageName[]
  readonly routes?: readonly RouteDefinition[]
  /** Functions merged into the gate object (`{ magicLinks: { send, consume } }`): a host's own routes call them. */
  gate?(core: Core): Api
  /** Its fields of the loginOptions answer, e.g. `{ magicLink: true }`. */
  loginOptions?(core: Core): Record<string, unknown>
  /** Removes what the feature keeps about a user; runs on unregister before the user record goes. */
  deleteUser?(core: Core, userId: string): Promise<void>
}

/** Declares a feature with its exact type, so its options and gate functions stay typed on the gate. */
export function defineFeature<const F extends Feature>(feature: F): F {
  return feature
}

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never

// A feature without options or gate functions adds nothing; `unknown` would swallow the whole union.
type Nothing = Record<never, never>
type OptionsOf<F> = F extends { options: FeatureOptions<infer Key, infer Input, unknown> } ? { [K in Key]?: Input } : Nothing
type ApiOf<F> = F extends { gate(core: Core): infer Api } ? Api : Nothing
type RouteNameOf<F> = F extends { routes: readonly (infer Route)[] } ? (Route extends { name: infer Name extends string } ? Name : never) : never

/** The option keys a list of features adds to createGatehouse's options. */
export type FeaturesOptions<Fs extends readonly Feature[]> = UnionToIntersection<OptionsOf<Fs[number]>>
/** The names of the routes a list of features adds: what `paths`, `disable` and `respond` accept. */
export type FeaturesRouteName<Fs extends readonly Feature[]> = RouteNameOf<Fs[number]>
/** The gate functions a list of features adds to the gate object. */
export type FeaturesApi<Fs extends readonly Feature[]> = UnionToIntersection<ApiOf<Fs[number]>>
