import { defineConfig } from 'vitest/config';

// Property suites over nested messages run for seconds; deep runs (MTCGK_DEEP=1) for minutes.
export default defineConfig({
  test: { testTimeout: process.env.MTCGK_DEEP === '1' ? 600_000 : 60_000 },
});
