import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'adapters/express/index': 'adapters/express/index.ts',
    'adapters/koa/index': 'adapters/koa/index.ts',
    'adapters/postgres/index': 'adapters/postgres/index.ts',
    'adapters/redis/index': 'adapters/redis/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Without splitting each adapter bundle inlines its own copy of the core, which breaks instanceof AuthError.
  splitting: true,
  // The CJS build needs import.meta.url rewritten: gatehouse/postgres finds its .sql files from it.
  shims: true,
})
