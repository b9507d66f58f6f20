/**
 * A program started in a folder that is a file, or that does not exist: Node throws a bare
 * `spawn ENOTDIR` (or says ENOENT as if the program were missing). Every place QCoder starts a
 * program says in words which folder is wrong, and none of them throws.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { startChildProcess } from '../../src/core/agent/commands/runProcess';
import { grep } from '../../src/core/agent/grep';
import { listFilesTool } from '../../src/core/agent/readTools';
import type { WorkspaceAccess } from '../../src/core/agent/workspace';
import { runProcess } from '../../src/core/context/files/process';
import { parseServers } from '../../src/core/mcp/config';
import { McpConnection } from '../../src/core/mcp/connection';

const RG = ['/usr/bin/rg', '/usr/local/bin/rg'].find(existsSync);
const parent = mkdtempSync(path.join(tmpdir(), 'qcoder-spawn-'));
const file = path.join(parent, 'notes.txt');
writeFileSync(file, 'a file, not a folder\n');
const missing = path.join(parent, 'gone');
after(() => rmSync(parent, { recursive: true, force: true }));

const IS_A_FILE = new RegExp(`working folder ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a file, not a folder`);

describe('a program started in a folder that is not one', () => {
  it('runProcess (git, ripgrep listings) resolves with the reason instead of throwing spawn ENOTDIR', async () => {
    const inFile = await runProcess(process.execPath, ['-e', ''], { cwd: file });
    assert.equal(inFile.code, -1);
    assert.match(inFile.stderr, IS_A_FILE);
    assert.doesNotMatch(inFile.stderr, /ENOTDIR/);
    const inMissing = await runProcess(process.execPath, ['-e', ''], { cwd: missing });
    assert.match(inMissing.stderr, /working folder .*gone does not exist/);
    const noProgram = await runProcess(path.join(parent, 'no-such-program'), [], { cwd: parent });
    assert.match(noProgram.stderr, /no-such-program" could not start: the program was not found/);
  });

  it('grep (search_files) answers with the reason', { skip: RG ? false : 'no ripgrep' }, async () => {
    const result = await grep({ rgPath: RG!, cwd: file, pattern: 'a', maxMatches: 10, timeoutMs: 10_000 });
    assert.deepEqual(result, {
      ok: false,
      message: `"ripgrep" could not start: its working folder ${file} is a file, not a folder`,
    });
  });

  it('run_command: a working folder replaced by a file after the check ends the command with the reason', async () => {
    let output = '';
    const running = startChildProcess({ command: 'echo hi', cwd: file, onOutput: (text) => (output += text) });
    assert.deepEqual(await running.exited, { code: undefined });
    assert.match(output, IS_A_FILE);
    await running.kill();
  });

  it('an MCP server whose cwd is a file or missing says so, not "the command was not found"', async () => {
    for (const [cwd, wanted] of [
      [file, IS_A_FILE],
      [missing, /could not start: its working folder .*gone does not exist/],
    ] as const) {
      const { servers } = parseServers({ local: { command: process.execPath, args: ['-e', ''], cwd } }, 'user', {
        env: () => undefined,
      });
      const server = new McpConnection(servers[0], { log: () => undefined });
      await assert.rejects(server.callTool('echo', {}), (error: Error) => {
        assert.match(error.message, /^MCP server "local" could not start: /);
        assert.match(error.message, wanted);
        return true;
      });
      await server.stop();
    }
  });

  it("list_files passes the listing's reason to the model as an error", async () => {
    const workspace = {
      listFiles: async () => ({
        paths: [],
        truncated: false,
        reason: 'src/a.ts is a file, not a folder; read it with read_file.',
      }),
    } as unknown as WorkspaceAccess;
    const outcome = await listFilesTool.run({ path: 'src/a.ts' }, { workspace, signal: new AbortController().signal });
    assert.deepEqual(outcome, {
      content: 'Error: src/a.ts is a file, not a folder; read it with read_file.',
      summary: 'src/a.ts is a file, not a folder; read it with read_file.',
      isError: true,
    });
  });
});
