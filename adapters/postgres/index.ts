export { migrate, renderMigrations, type MigrateOptions, type Migration } from './migrate.js'
export type { PostgresStorageOptions } from './postgres-names.js'
export { postgresStorage } from './postgres-storage.js'
export { postgresAuditStore } from './postgres-audit-store.js'
