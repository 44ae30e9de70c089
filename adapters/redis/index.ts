export { redisStorage, type RedisStorage, type RedisStorageOptions } from './redis-storage.js'
