import { defineProject } from 'vitest/config';

// The repository's own scripts (provisioning, builds); the runtime smoke suite has its own runner.
export default defineProject({
  test: { name: 'scripts', include: ['*.test.mjs'] },
});
