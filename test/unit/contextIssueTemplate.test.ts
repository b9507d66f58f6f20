/**
 * The lines of a pasted issue that the repository's own issue form printed: what a reporter
 * sees of a form (YAML issue forms, Markdown templates with and without front matter), which
 * of its lines are kept as form text, and what is left of a request once they are gone. Every
 * expected value is worked out by hand from the rules in issueTemplate.ts; the last tests rank
 * a real workspace, with and without its template, to show what the filter changes for a user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import {
  ISSUE_TEMPLATE_PATH,
  issueForm,
  normaliseLine,
  shownText,
  withoutForm,
} from '../../src/core/context/rank/issueTemplate';
import { rankContext } from '../../src/core/context/rank/rank';
import { type TempWorkspace, type Tree, makeWorkspace } from '../fixtures/context/workspace';

const YAML_FORM = [
  'name: Bug report',
  'description: Report a bug in the project',
  'title: "[Bug]: "',
  'labels: ["bug", "triage"]',
  'assignees:',
  '  - octocat',
  'body:',
  '  - type: markdown',
  '    attributes:',
  '      value: |',
  '        Thanks for taking the time to fill out this bug report!',
  '        Please search the existing issues first.',
  '  - type: textarea',
  '    id: what-happened',
  '    attributes:',
  '      label: Bug description',
  '      description: >-',
  '        A clear and concise description',
  '        of what the bug is.',
  '      placeholder: Tell us what you see',
  '    validations:',
  '      required: true',
  '  - type: input',
  '    attributes:',
  "      label: 'Python version'",
  '      placeholder: "3.11"',
  '      value: N/A',
].join('\n');

const MARKDOWN_TEMPLATE = [
  '---',
  'name: Bug report',
  'about: Create a report to help us improve',
  'labels: enhancement',
  'assignees: octocat',
  '',
  '---',
  '',
  '**Describe the bug**',
  'A clear and concise description of what the bug is.',
  '',
  '**To Reproduce**',
  'Steps to reproduce the behavior:',
  '1. Go to ...',
  '',
  '**Expected behavior**',
  '',
  '**Environment info**',
  ' - OS: [e.g. Linux]',
  ' - Python version:',
].join('\n');

describe('normaliseLine', () => {
  it('lower-cases and keeps letters, digits and colons, with single spaces between', () => {
    assert.equal(normaliseLine('  **Describe   the BUG**  '), 'describe the bug');
    assert.equal(normaliseLine('### Steps_to-reproduce (the behavior!)'), 'steps to reproduce the behavior');
    assert.equal(normaliseLine('Python 3.11'), 'python 3 11');
  });

  it('writes a colon as ": " wherever it comes, and drops one at the end', () => {
    assert.equal(normaliseLine('- OS :Linux'), 'os: linux');
    assert.equal(normaliseLine('Python version :'), 'python version');
    assert.equal(normaliseLine('Steps to reproduce the behavior:'), 'steps to reproduce the behavior');
    assert.equal(normaliseLine('a:b:c:'), 'a: b: c');
    assert.equal(normaliseLine(':'), '');
  });
});

describe('shownText', () => {
  it('of a YAML issue form is the values a reporter sees, block scalars line by line, no structural keys', () => {
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/bug.yml', YAML_FORM), [
      'Bug report',
      'Report a bug in the project',
      '[Bug]: ',
      '        Thanks for taking the time to fill out this bug report!',
      '        Please search the existing issues first.',
      'Bug description',
      '        A clear and concise description',
      '        of what the bug is.',
      'Tell us what you see',
      'Python version',
      '3.11',
      'N/A',
    ]);
  });

  it('reads .yaml as YAML too, in any case, and carries no block past a less indented key', () => {
    const form = 'name: x\ndescription: |\n  first\n  second\nlabels: bug\n  indented: past the block\n';
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/Form.YAML', form), ['x', '  first', '  second']);
  });

  it('reads keys as YAML writes them: spaced before the colon, empty, after a wide dash, not in a comment', () => {
    const form = [
      'name: Bug report',
      '# description: a note for maintainers',
      'description : Spaced before its colon',
      'title:',
      'body:',
      '  -   label: Tell us more',
      '      type: textarea',
      '  - type: input',
      '    attributes:',
      '      label: Run "make html"',
      '      value: |  ',
      '        Output here',
      '      placeholder: cat build.log |',
      '        not a block',
    ].join('\n');
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/bug.yml', form), [
      'Bug report',
      'Spaced before its colon',
      '',
      'Tell us more',
      'Run "make html"',
      '        Output here',
      'cat build.log |',
    ]);
  });

  it('keeps a block scalar open across its blank lines, and reads a shown key inside it as its text', () => {
    const form = [
      'body:',
      '  - type: markdown',
      '    attributes:',
      '      value: |',
      '        Thanks for taking the time to fill out this bug report!',
      '',
      '   ',
      '        Description: search the existing issues first.',
      '  - type: textarea',
      '    id: logs',
      '',
      '    render: shell',
    ].join('\n');
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/bug.yml', form), [
      '        Thanks for taking the time to fill out this bug report!',
      '        Description: search the existing issues first.',
    ]);
  });

  it('ends a block scalar at a key of the same list item, written after the dash', () => {
    const form = [
      'body:',
      '  - label: |',
      '      What happened?',
      '    id: what-happened',
      '    description: Tell us',
      '  - label: >-',
      '      Which version?',
      '    placeholder: "1.0"',
    ].join('\n');
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/bug.yml', form), [
      '      What happened?',
      'Tell us',
      '      Which version?',
      '1.0',
    ]);
  });

  it('of a Markdown template shows its front matter’s name and about, not labels or assignees, then the body', () => {
    assert.deepEqual(shownText('.github/ISSUE_TEMPLATE/bug_report.md', MARKDOWN_TEMPLATE), [
      'Bug report',
      'Create a report to help us improve',
      '',
      '**Describe the bug**',
      'A clear and concise description of what the bug is.',
      '',
      '**To Reproduce**',
      'Steps to reproduce the behavior:',
      '1. Go to ...',
      '',
      '**Expected behavior**',
      '',
      '**Environment info**',
      ' - OS: [e.g. Linux]',
      ' - Python version:',
    ]);
  });

  it('of a Markdown template without front matter, or with one never closed, is every line', () => {
    assert.deepEqual(shownText('ISSUE_TEMPLATE.md', 'name: kept\r\n**Expected behavior**\r\n'), [
      'name: kept',
      '**Expected behavior**',
      '',
    ]);
    assert.deepEqual(shownText('ISSUE_TEMPLATE.md', '---\nname: x\nlabels: y'), ['---', 'name: x', 'labels: y']);
    assert.deepEqual(shownText('ISSUE_TEMPLATE.md', ' --- \nname: x\n---\nbody'), ['x', 'body']);
    // A rule further down is no front matter; a folder named like YAML does not make the file YAML.
    assert.deepEqual(shownText('ISSUE_TEMPLATE.md', 'Describe the bug\n---\nExpected'), [
      'Describe the bug',
      '---',
      'Expected',
    ]);
    assert.deepEqual(shownText('forms.yaml/ISSUE_TEMPLATE.md', 'name: x\nBody'), ['name: x', 'Body']);
  });

  it('reads keys only in the front matter, not in the body that follows it', () => {
    assert.deepEqual(shownText('ISSUE_TEMPLATE.md', '---\nname: x\n---\nabout: the page'), ['x', 'about: the page']);
  });
});

describe('ISSUE_TEMPLATE_PATH', () => {
  it('matches GitHub’s issue templates and forms, at the root or in a workspace folder, and nothing else', () => {
    for (const path of [
      '.github/ISSUE_TEMPLATE/bug.md',
      '.github/ISSUE_TEMPLATE/bug.yml',
      '.github/ISSUE_TEMPLATE/feature.YAML',
      'pkg/.github/ISSUE_TEMPLATE/bug.md',
      '.github/ISSUE_TEMPLATE.md',
      'ISSUE_TEMPLATE.md',
      'docs/issue_template.md',
    ])
      assert.ok(ISSUE_TEMPLATE_PATH.test(path), path);
    for (const path of [
      '.github/ISSUE_TEMPLATE/config.json',
      '.github/ISSUE_TEMPLATE/sub/bug.md',
      '.github/ISSUE_TEMPLATE/bug.md.orig',
      '.github/PULL_REQUEST_TEMPLATE.md',
      'MY_ISSUE_TEMPLATE.md',
      'ISSUE_TEMPLATE.md.bak',
      'xgithub/ISSUE_TEMPLATE/bug.md',
    ])
      assert.ok(!ISSUE_TEMPLATE_PATH.test(path), path);
  });
});

describe('issueForm', () => {
  it('keeps the normalised lines of every template and the labels printed before a colon', () => {
    const form = issueForm([
      { path: '.github/ISSUE_TEMPLATE/bug.yml', text: YAML_FORM },
      { path: '.github/ISSUE_TEMPLATE/bug_report.md', text: MARKDOWN_TEMPLATE },
    ]);
    assert.deepEqual(
      [...form.lines].sort(),
      [
        'a clear and concise description',
        'a clear and concise description of what the bug is',
        'bug description',
        'bug report',
        '1 go to',
        'create a report to help us improve',
        'describe the bug',
        'environment info',
        'expected behavior',
        'of what the bug is',
        'os: e g linux',
        'please search the existing issues first',
        'python version',
        'report a bug in the project',
        'steps to reproduce the behavior',
        'tell us what you see',
        'thanks for taking the time to fill out this bug report',
        'to reproduce',
      ].sort(),
    );
    // "Python version:" ends with its colon: a line, not a label (withoutForm reads lines as labels too).
    assert.deepEqual([...form.labels], ['os']);
  });

  it('leaves out a line of one short word or none, and keeps two words or one of five letters', () => {
    const form = issueForm([
      {
        path: 'ISSUE_TEMPLATE.md',
        text: 'bug\nN/A\n3.11\nOS:\n- [ ]\nno\nLogs\nTrace\ngo on\nv 1 x\nok: x\nvia 2fa\n: See the notes\n',
      },
    ]);
    // "go on", "via 2fa": a word of two letters, then a word with a letter; "ok: x" the same across a colon.
    // A line that starts with its colon has no label.
    assert.deepEqual([...form.lines].sort(), [': see the notes', 'go on', 'ok: x', 'trace', 'via 2fa']);
    assert.deepEqual([...form.labels], ['ok']);
  });

  it('is empty without templates', () => {
    const form = issueForm([]);
    assert.equal(form.lines.size, 0);
    assert.equal(form.labels.size, 0);
  });
});

describe('withoutForm', () => {
  const markdown = issueForm([{ path: '.github/ISSUE_TEMPLATE/bug_report.md', text: MARKDOWN_TEMPLATE }]);
  const yaml = issueForm([{ path: '.github/ISSUE_TEMPLATE/bug.yml', text: YAML_FORM }]);

  it('drops the lines the template printed, however they are marked up, and keeps what the reporter wrote', () => {
    const issue = [
      '**Describe the bug**',
      'autodoc skips the frobnicator',
      '',
      '## To reproduce',
      'Steps to reproduce the behavior:',
      '1. run make html',
      '**EXPECTED BEHAVIOR:**',
      'It documents the bug report.',
    ].join('\n');
    assert.equal(
      withoutForm(issue, markdown),
      ['autodoc skips the frobnicator', '', '1. run make html', 'It documents the bug report.'].join('\n'),
    );
  });

  it('drops a YAML form’s label rendered as a heading, and the form’s own prose', () => {
    const issue = '### Bug description\n\nThe frobnicator spins.\n\n### Python version\n\n3.12\n';
    assert.equal(withoutForm(issue, yaml), '\nThe frobnicator spins.\n\n\n3.12\n');
  });

  it('leaves the value after a form’s label, and drops a label left empty', () => {
    const issue = ' - OS: Ubuntu 22.04\n - OS:\n- os : [e.g. Linux]\nDistro: Linux';
    assert.equal(withoutForm(issue, markdown), ' Ubuntu 22.04\nDistro: Linux');
  });

  it('leaves the value after a form line used as a label', () => {
    assert.equal(withoutForm('- Python version: 3.12', markdown), ' 3.12');
    assert.equal(withoutForm('Python version: 3.12', yaml), ' 3.12');
    assert.equal(withoutForm('**Describe the bug**: autodoc skips it', markdown), ' autodoc skips it');
  });

  it('keeps every line of a fenced code block, even one the form printed', () => {
    const issue = [
      '```python',
      'def f():',
      '    """Expected behavior',
      '    ~~~',
      '    OS: Linux',
      '    """',
      '```',
      'Expected behavior',
      '   ~~~~',
      'Describe the bug',
      '~~~',
      '~~~~~',
      'Expected behavior',
    ].join('\n');
    assert.equal(
      withoutForm(issue, markdown),
      [
        '```python',
        'def f():',
        '    """Expected behavior',
        '    ~~~',
        '    OS: Linux',
        '    """',
        '```',
        '   ~~~~',
        'Describe the bug',
        '~~~',
        '~~~~~',
      ].join('\n'),
    );
  });

  it('keeps a napoleon docstring’s section inside code though the form prints the same word', () => {
    const form = issueForm([{ path: 'ISSUE_TEMPLATE.md', text: '### Attributes\nExpected behavior\n' }]);
    const code = ['```python', 'class Widget:', '    """', '    Attributes', '    ----------', '    """', '```'];
    const issue = ['Expected behavior', 'napoleon drops the section', ...code, 'Attributes'].join('\n');
    assert.equal(withoutForm(issue, form), ['napoleon drops the section', ...code].join('\n'));
  });

  it('opens a fence only at the start of a line', () => {
    assert.equal(withoutForm('Wrap it in ``` fences\nExpected behavior', markdown), 'Wrap it in ``` fences');
  });

  it('does not close a fence on a shorter one', () => {
    const issue = '````\nExpected behavior\n```\nExpected behavior\n````\nExpected behavior';
    assert.equal(withoutForm(issue, markdown), '````\nExpected behavior\n```\nExpected behavior\n````');
  });

  it('keeps the structural words of a YAML form, which a reporter never sees', () => {
    const issue = 'Attributes:\n    validations: required\ntype: textarea';
    assert.equal(withoutForm(issue, yaml), issue);
  });

  it('keeps a word or a phrase of the form inside the reporter’s own sentence', () => {
    const issue = 'The expected behavior is documented.\nA bug description is missing for python version 3.';
    assert.equal(withoutForm(issue, yaml), issue);
    assert.equal(withoutForm(issue, markdown), issue);
  });

  it('returns the text as it is without templates', () => {
    const issue = '**Describe the bug**\n - OS: Linux\nbug';
    assert.equal(withoutForm(issue, issueForm([])), issue);
    // Labels alone do nothing without lines (a form always has both).
    assert.equal(withoutForm(issue, { lines: new Set(), labels: new Set(['os']) }), issue);
  });

  it('leaves a line that starts with a colon, whatever follows it', () => {
    const form = { lines: new Set(['expected behavior']), labels: new Set(['']) };
    assert.equal(withoutForm(': x', form), ': x');
  });
});

describe('ranking a pasted issue that follows the repository’s template', () => {
  const code: Tree = {
    'src/spindle.py': 'def frobnicate(widget):\n    return widget.spindle_torque()\n',
    'src/render.py': 'def render(page):\n    return page.html()\n',
    'src/config.py': 'def load(path):\n    return open(path).read()\n',
    'src/cli.py': 'def main(argv):\n    return 0\n',
    'docs/contributing.md': [
      '# Reporting bugs',
      '',
      'Describe the bug, then the steps to reproduce the behavior, the expected behavior',
      'and the environment info. A clear and concise description of what the bug is and',
      'of what you expected to happen helps us improve. Create a report with the Python version.',
      '',
    ].join('\n'),
  };
  const issue = [
    '**Describe the bug**',
    'spindle torque',
    '',
    '**To Reproduce**',
    'Steps to reproduce the behavior:',
    '',
    '**Expected behavior**',
    'A clear and concise description of what the bug is.',
    '',
    '**Environment info**',
    ' - OS: [e.g. Linux]',
    ' - Python version: 3.11',
  ].join('\n');
  const open = async (tree: Tree) => {
    const ws = makeWorkspace(tree);
    const index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), {
      git: false,
    });
    return { ws, index };
  };
  let withTemplate: { ws: TempWorkspace; index: WorkspaceIndex };
  let without: { ws: TempWorkspace; index: WorkspaceIndex };
  before(async () => {
    withTemplate = await open({ ...code, '.github/ISSUE_TEMPLATE/bug_report.md': MARKDOWN_TEMPLATE });
    without = await open(code);
  });
  after(() => {
    withTemplate.ws.dispose();
    without.ws.dispose();
  });

  it('ranks the code that holds the issue’s one real term first, and no template word is a term', async () => {
    const ranking = await rankContext(withTemplate.index, issue, {});
    assert.equal(ranking.ranked[0]?.path, 'src/spindle.py');
    // What is left of the issue: "spindle torque" and "3.11" (a number, no term).
    assert.deepEqual([...ranking.terms].sort(), ['spindle', 'torque']);
  });

  it('reads only the issue templates as the form: a guide that quotes a line of the issue is not one', async () => {
    const guide = await open({ ...code, 'docs/reporting.md': 'Steps to reproduce the behavior:\n' });
    try {
      const ranking = await rankContext(guide.index, issue, {});
      assert.ok(ranking.terms.includes('steps'), ranking.terms.join(', '));
    } finally {
      guide.ws.dispose();
    }
  });

  it('without the template the same issue puts the docs that share its wording first', async () => {
    const ranking = await rankContext(without.index, issue, {});
    assert.equal(ranking.ranked[0]?.path, 'docs/contributing.md');
    for (const term of ['expected', 'reproduce', 'environment', 'python'])
      assert.ok(ranking.terms.includes(term), term);
  });
});
