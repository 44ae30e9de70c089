import type { Cluster, Redis } from 'ioredis'

/** A standalone (or Sentinel) client, or a Redis Cluster client: the stores use what both offer. */
export type RedisClient = Redis | Cluster
