import base from './stryker.config.mjs';
export default {
  ...base,
  tap: { ...base.tap, testFiles: ['test/unit/mcpConfig.test.ts', 'test/unit/mcpSchema.test.ts'] },
  mutate: ['src/core/mcp/config.ts', 'src/core/mcp/names.ts', 'src/core/mcp/schema.ts', 'src/core/mcp/results.ts'],
  jsonReporter: { fileName: '/tmp/mcp-mutation.json' },
  concurrency: 1,
};
