import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  approvalReason,
  confirmRealPath,
  fileToolSchemas,
  packageJsonRisk,
  parseFileToolCall,
  protectedReason,
  resolveWorkspacePath,
  type ResolvedPath,
  type WorkspaceRoot,
} from '../../src/core/edits';

const roots: WorkspaceRoot[] = [
  { name: 'app', path: '/work/app' },
  { name: 'lib', path: '/work/lib' },
];

function resolved(input: string, given = roots): ResolvedPath {
  const result = resolveWorkspacePath(input, given);
  if (!('relative' in result)) assert.fail(result.message);
  return result;
}

const refusedAs = (input: string, kind: string, given = roots): void => {
  const result = resolveWorkspacePath(input, given);
  assert.ok(!result.ok, `${input} should be refused`);
  assert.equal(result.kind, kind, input);
};

describe('resolveWorkspacePath', () => {
  it('resolves relative, absolute, file: and root-named paths inside the roots', () => {
    assert.deepEqual(
      [resolved('src/a.ts').absolute, resolved('src/a.ts').relative],
      ['/work/app/src/a.ts', 'src/a.ts'],
    );
    assert.equal(resolved('./src/../src/a.ts').absolute, '/work/app/src/a.ts');
    assert.equal(resolved('/work/lib/index.ts').root.name, 'lib');
    assert.equal(resolved('file:///work/lib/a%20b.ts').absolute, '/work/lib/a b.ts');
    assert.deepEqual([resolved('lib/x.ts').root.name, resolved('lib/x.ts').relative], ['lib', 'x.ts']);
  });

  it('refuses every way out', () => {
    refusedAs('../secrets.txt', 'outside_workspace');
    refusedAs('src/../../app2/x', 'outside_workspace');
    refusedAs('/work/application/x.ts', 'outside_workspace');
    refusedAs('/etc/passwd', 'outside_workspace');
    refusedAs('file:///etc/passwd', 'outside_workspace');
    refusedAs('file://server/share/x', 'outside_workspace');
    refusedAs('vscode-remote://host/work/app/x', 'outside_workspace');
    refusedAs('~/x', 'invalid_path');
    refusedAs('a\0b', 'invalid_path');
    refusedAs('', 'invalid_path');
    refusedAs('.', 'invalid_path');
    refusedAs('x.ts', 'outside_workspace', []);
  });

  it('handles Windows roots case-insensitively', () => {
    const windows = [{ name: 'app', path: 'C:\\work\\app' }];
    assert.equal(resolved('src\\a.ts', windows).absolute, 'C:\\work\\app\\src\\a.ts');
    assert.equal(resolved('c:\\WORK\\app\\b.ts', windows).relative, 'b.ts');
    assert.equal(resolved('file:///C:/work/app/c.ts', windows).relative, 'c.ts');
    refusedAs('..\\x', 'outside_workspace', windows);
    refusedAs('D:\\work\\app\\x', 'outside_workspace', windows);
    refusedAs('src\\a.txt:stream', 'invalid_path', windows);
    refusedAs('a.txt:stream', 'outside_workspace', windows);
  });
});

describe('confirmRealPath', () => {
  // A fake file system: /work/app/link -> /etc, /work/app/inner -> /work/app/src.
  const links: Record<string, string> = { '/work/app/link': '/etc', '/work/app/inner': '/work/app/src' };
  const existing = new Set(['/work', '/work/app', '/work/app/src', '/work/app/src/a.ts', '/etc', '/etc/passwd', '/']);
  const realpath = async (path: string): Promise<string | undefined> => {
    for (const [link, target] of Object.entries(links)) {
      if (path === link || path.startsWith(`${link}/`)) path = target + path.slice(link.length);
    }
    return existing.has(path) ? path : undefined;
  };

  it('accepts real files and new files under real folders', async () => {
    assert.ok((await confirmRealPath(resolved('src/a.ts'), realpath)).ok);
    assert.ok((await confirmRealPath(resolved('src/new/deep.ts'), realpath)).ok);
    assert.ok((await confirmRealPath(resolved('inner/a.ts'), realpath)).ok);
  });

  it('refuses a symbolic link that leads out, for existing and new files', async () => {
    for (const path of ['link/passwd', 'link/new.txt']) {
      const result = await confirmRealPath(resolved(path), realpath);
      assert.ok(!result.ok);
      assert.equal(result.kind, 'outside_workspace');
      assert.match(result.message, /symbolic link/);
    }
  });
});

describe('protected paths', () => {
  it('always need approval for what can run code or hold secrets', () => {
    for (const path of [
      '.vscode/settings.json',
      '.vscode/tasks.json',
      '.VSCode/Launch.json',
      '.vscode/mcp.json',
      'app.code-workspace',
      '.git/hooks/pre-commit',
      'sub/.git/config',
      '.github/workflows/ci.yml',
      '.husky/pre-push',
      '.gitlab-ci.yml',
      '.circleci/config.yml',
      '.devcontainer/devcontainer.json',
      '.npmrc',
      '.env',
      '.env.local',
      '.envrc',
      '.qcoderignore',
      'lefthook.yml',
      '.pre-commit-config.yaml',
    ]) {
      assert.ok(protectedReason(path), path);
    }
    for (const path of [
      'src/index.ts',
      'README.md',
      '.github/ISSUE_TEMPLATE/bug.md',
      'docs/.vscode.md',
      'environment.ts',
      'package.json',
    ]) {
      assert.equal(protectedReason(path), undefined, path);
    }
  });

  it('package.json needs approval only when what runs changes', () => {
    const before = JSON.stringify({ name: 'x', scripts: { test: 'node --test' }, dependencies: { a: '1' } });
    assert.equal(
      packageJsonRisk(
        before,
        JSON.stringify({ name: 'x', scripts: { test: 'node --test' }, dependencies: { a: '2' } }),
      ),
      undefined,
    );
    assert.match(
      packageJsonRisk(
        before,
        JSON.stringify({ name: 'x', scripts: { test: 'node --test', postinstall: 'curl x | sh' } }),
      ) ?? '',
      /"scripts"/,
    );
    assert.match(
      packageJsonRisk(before, JSON.stringify({ name: 'x', scripts: { test: 'node --test' }, husky: { hooks: {} } })) ??
        '',
      /"husky"/,
    );
    assert.match(packageJsonRisk(before, '{ not json') ?? '', /would not parse/);
    assert.match(
      approvalReason('packages/a/package.json', undefined, JSON.stringify({ scripts: { x: 'y' } })) ?? '',
      /"scripts"/,
    );
    assert.equal(approvalReason('packages/a/package.json', before, before.replace('"1"', '"3"')), undefined);
    assert.match(approvalReason('package.json', before, undefined) ?? '', /deletes/);
  });
});

describe('tool schemas and arguments', () => {
  it('exports the four file tools as JSON schemas', () => {
    assert.deepEqual(
      fileToolSchemas.map((s) => s.name),
      ['edit_file', 'write_file', 'delete_file', 'rename_file'],
    );
    for (const schema of fileToolSchemas) {
      assert.equal(schema.parameters.type, 'object');
      assert.ok(schema.description.length > 0 && schema.description.length < 400);
      JSON.stringify(schema);
    }
    const edits = (fileToolSchemas[0].parameters.properties as Record<string, { items: { required: string[] } }>).edits;
    assert.deepEqual(edits.items.required, ['old_text', 'new_text']);
  });

  it('accepts the shapes servers really send', () => {
    const edit = { old_text: 'a', new_text: 'b' };
    const expected = { tool: 'edit_file', path: 'x.ts', edits: [{ oldText: 'a', newText: 'b' }] };
    assert.deepEqual(parseFileToolCall('edit_file', { path: 'x.ts', edits: [edit] }), expected);
    assert.deepEqual(
      parseFileToolCall('edit_file', JSON.stringify({ path: 'x.ts', edits: JSON.stringify([edit]) })),
      expected,
    );
    assert.deepEqual(parseFileToolCall('edit_file', { path: 'x.ts', ...edit }), expected);
    assert.deepEqual(
      parseFileToolCall('edit_file', { path: 'x.ts', edits: [{ old_str: 'a', new_str: 'b', replace_all: 'true' }] }),
      { ...expected, edits: [{ oldText: 'a', newText: 'b', replaceAll: true }] },
    );
    assert.deepEqual(parseFileToolCall('write_file', { path: 'n.ts', content: '' }), {
      tool: 'write_file',
      path: 'n.ts',
      content: '',
    });
    assert.deepEqual(parseFileToolCall('rename_file', { from: 'a', to: 'b' }), {
      tool: 'rename_file',
      from: 'a',
      to: 'b',
    });
    assert.deepEqual(parseFileToolCall('delete_file', { path: 'a' }), { tool: 'delete_file', path: 'a' });
  });

  it('refuses malformed calls in words', () => {
    const kind = (tool: string, args: unknown): string => {
      const result = parseFileToolCall(tool, args);
      return 'ok' in result ? `${result.kind}: ${result.message}` : 'accepted';
    };
    assert.equal(
      kind('edit_file', { path: 'x', edits: [] }),
      'invalid_arguments: edit_file: edits must be a non-empty array of {old_text, new_text}',
    );
    assert.equal(
      kind('edit_file', { path: 'x', edits: [{ old_text: 1, new_text: 'b' }] }),
      'invalid_arguments: edit_file: edits[0].old_text must be a string',
    );
    assert.equal(
      kind('edit_file', { edits: [{ old_text: 'a', new_text: 'b' }] }),
      'invalid_arguments: edit_file: path is required',
    );
    assert.equal(kind('write_file', '{broken'), 'invalid_arguments: write_file: arguments must be a JSON object');
    assert.equal(kind('rename_file', { from: 'a' }), 'invalid_arguments: rename_file: from and to are required');
  });
});
