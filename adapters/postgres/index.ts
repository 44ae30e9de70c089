export { migrate, renderMigrations, type MigrateOptions, type Migration } from './migrate.js'
export type { PostgresStorageOptions } from './postgres-names.js'
export { postgresStorage } from './postgres-storage.js'
export { postgresCacheBroadcast, type PostgresCacheBroadcast, type PostgresCacheBroadcastOptions } from './postgres-cache-broadcast.js'
