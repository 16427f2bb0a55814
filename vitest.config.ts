import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts', 'conformance/src/**/*.test.ts'],
    // The Kubernetes suite needs a control plane built once as root (scripts/kube): `npm run test:kube`.
    exclude: [...configDefaults.exclude, 'test/kube/**'],
    // Integration tests spawn processes and share one Redis: forks keep them apart.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
