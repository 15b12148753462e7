import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Pages update over the network and speak after a chime: polls get a few seconds.
    expect: { poll: { timeout: 8000 } },
    projects: [
      // tests/cluster starts real server processes on PostgreSQL + Redis: the postgres project's.
      // Unit, API and realtime tests do not need the pages built: only the browser tests do.
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/cluster/**', 'tests/e2e/**'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/e2e/global-setup.ts'] } },
      {
        // The API and realtime suites again, on PostgreSQL + Redis with two server instances
        // (tests/helpers.ts). Left out: tests of the SQLite file itself (backups, a full or
        // read-only disk, restarts on the same file), which open their own SQLite database.
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/api/**/*.test.ts', 'tests/realtime/**/*.test.ts', 'tests/cluster/**/*.test.ts'],
          exclude: ['tests/api/backup.test.ts', 'tests/api/faults.test.ts', 'tests/api/restart.test.ts', 'tests/api/process.test.ts', 'tests/api/full-disk.test.ts'],
          env: { HALL_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
