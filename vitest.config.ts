import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    globals: true,
    root: './',
    include: [
      'libs/**/*.spec.ts',
      'src/**/*.spec.ts',
      'sandbox/**/*.spec.ts',
      'test/**/*.e2e-spec.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
