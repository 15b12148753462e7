import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Pages update over the network and speak after a chime: polls get a few seconds.
    expect: { poll: { timeout: 8000 } },
  },
});
