export { redisStorage, type RedisStorage, type RedisStorageOptions } from './redis-storage.js'
export { redisCacheBroadcast, type RedisCacheBroadcast, type RedisCacheBroadcastOptions } from './redis-cache-broadcast.js'
