import { defineConfig } from 'vitest/config';
import tsconfigPaths from 'vite-tsconfig-paths';

export default defineConfig({
  plugins: [tsconfigPaths()],
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
