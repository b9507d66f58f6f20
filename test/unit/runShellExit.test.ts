import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endsTheShell } from '../../src/core/agent/commands/runShellExit';

describe('which lines end the shell that runs them (those run as a child process, not in a terminal)', () => {
  const ending = [
    'exit 4',
    'exit',
    'npm test; exit 3',
    'false || exit 1',
    'if true; then exit 2; fi',
    '{ exit 5; }',
    'FOO=1 exit 2',
    'logout',
    'exec npm test',
    'set -e; false',
    'set -euo pipefail; npm test',
    'set -o errexit',
    "eval 'exit 7'",
    'source ./env.sh',
    '. ./env.sh && npm test',
  ];
  for (const line of ending) it(`ends it: ${line}`, async () => assert.equal(await endsTheShell(line), true));

  const staying = [
    'npm test',
    '(exit 4)',
    'echo $(exit 3)',
    'exit 3 | cat',
    'bash -c "exit 4"',
    'echo exit',
    'git commit -m "exit now"',
    'set -x; npm test',
    'set -o pipefail',
    'diff <(exit 1) /dev/null',
  ];
  for (const line of staying)
    it(`leaves it running: ${line}`, async () => assert.equal(await endsTheShell(line), false));
});
