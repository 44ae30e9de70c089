import type { CacheBroadcast } from './ports.js'

/** One process only (memory storage): every invalidation is local, so nothing needs sending. */
export const processLocalBroadcast: CacheBroadcast = {
  publish: async () => undefined,
  subscribe: (listener) => listener.onState(true),
}
