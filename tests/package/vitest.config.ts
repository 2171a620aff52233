// The station package's test (npm run test:package): apart from the unit tests, as it installs a package on the machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/package/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
  },
});
