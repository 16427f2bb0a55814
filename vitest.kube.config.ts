// The Kubernetes suite: against a real kube-apiserver, controller-manager and scheduler on loopback,
// built once by scripts/kube/build-control-plane.sh (which `npm run test:kube` runs first).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/kube/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
