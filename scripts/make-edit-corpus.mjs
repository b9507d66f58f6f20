// Builds test/fixtures/edits/cases/: edit cases cut from real files in node_modules, each
// with the mistakes models make when they copy code into a search/replace block.
//
//   node scripts/make-edit-corpus.mjs
//
// The expected result of every case is built here by splicing lines (what the model meant),
// never by running QCoder's applier, so the corpus is an independent oracle. Deterministic:
// a seeded PRNG and sorted inputs; the generated cases are committed so they stay stable
// when node_modules changes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test/fixtures/edits/cases');

const SOURCES = [
  ['typescript/lib/lib.es5.d.ts', 'ts'],
  ['openai/src/client.ts', 'ts'],
  ['openai/src/core/error.ts', 'ts'],
  ['openai/src/internal/utils/values.ts', 'ts'],
  ['markdown-it/lib/renderer.mjs', 'js'],
  ['markdown-it/lib/ruler.mjs', 'js'],
  ['markdown-it/lib/token.mjs', 'js'],
  ['markdown-it/lib/rules_block/list.mjs', 'js'],
  ['diff/libesm/diff/base.js', 'js'],
  ['diff/libesm/diff/word.js', 'js'],
  ['diff/libesm/patch/apply.js', 'js'],
  ['minimatch/dist/esm/ast.js', 'js'],
  ['minimatch/dist/esm/index.js', 'js'],
  ['highlight.js/lib/languages/javascript.js', 'js'],
  ['highlight.js/lib/languages/python.js', 'js'],
  ['globby/index.js', 'js'],
  ['color-convert/conversions.js', 'js'],
  ['camelcase/index.js', 'js'],
  ['highlight.js/styles/github.css', 'css'],
  ['highlight.js/styles/monokai-sublime.css', 'css'],
  ['markdown-it/README.md', 'md'],
  ['diff/README.md', 'md'],
];

// ── deterministic randomness ─────────────────────────────────────────────────
let seed = 0x5eed1234;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (low, high) => low + Math.floor(rand() * (high - low + 1));
const pick = (items) => items[Math.floor(rand() * items.length)];

// ── text helpers (independent of src/core/edits) ─────────────────────────────
/** The indentation step of a file: '\t', or the most common step in spaces (2 or 4). */
function unitOf(lines) {
  if (lines.filter((l) => l.startsWith('\t')).length > lines.filter((l) => l.startsWith('  ')).length) return '\t';
  const steps = new Map();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const width = /^ */.exec(line)[0].length;
    const step = Math.abs(width - previous);
    if (step === 2 || step === 4) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = width;
  }
  return ' '.repeat((steps.get(4) ?? 0) > (steps.get(2) ?? 0) ? 4 : 2);
}
const sources = SOURCES.map(([path, lang]) => {
  const text = readFileSync(join(root, 'node_modules', path), 'utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n');
  const lines = text.replace(/\n$/, '').split('\n');
  return { path, lang, lines, unit: unitOf(lines) };
});
const indentOf = (line) => /^[ \t]*/.exec(line)[0];
const blank = (line) => line.trim() === '';
const loose = (line) =>
  line
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .trim()
    .replace(/\s+/g, ' ');
const substantial = (line) => line.trim().length >= 8;

function levenshtein(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
const similar = (a, b) => (a === b ? 1 : 1 - levenshtein(a, b) / Math.max(a.length, b.length, 1));

/** How often `block` occurs as a run of lines in `lines`, comparing with `key`. */
function runCount(lines, block, key = (line) => line) {
  const keys = lines.map(key);
  const wanted = block.map(key);
  let count = 0;
  for (let i = 0; i + wanted.length <= keys.length; i++) if (wanted.every((k, j) => keys[i + j] === k)) count++;
  return count;
}
/** Windows other than `except` where every line is at least `threshold` similar to `block`. */
function nearWindows(lines, block, threshold, except) {
  const wanted = block.map(loose);
  let count = 0;
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (i === except) continue;
    if (wanted.every((k, j) => similar(k, loose(lines[i + j])) >= threshold)) count++;
  }
  return count;
}

// ── files as lines with their own endings ────────────────────────────────────
/** A file: lines of { text, eol }; the last line's eol is '' when there is no final newline. */
function makeFile(lines, { eol = '\n', bom = false, finalNewline = true, mixed = false } = {}) {
  const minority = eol === '\n' ? '\r\n' : '\n';
  const rows = lines.map((text, i) => ({ text, eol: mixed && i % 5 === 2 ? minority : eol }));
  if (!finalNewline) rows[rows.length - 1].eol = '';
  return { rows, bom, eol };
}
const serialize = (file) => (file.bom ? '\uFEFF' : '') + file.rows.map((row) => row.text + row.eol).join('');

/** The intended change applied to the file: the oracle. */
function applyIntent(file, start, change) {
  const rows = file.rows.map((row) => ({ ...row }));
  const at = start + change.line;
  if (change.kind === 'modify') {
    rows[at] = { text: change.text, eol: rows[at].eol === '' ? '' : file.eol };
  } else if (change.kind === 'insert') {
    const inserted = change.lines.map((text) => ({ text, eol: file.eol }));
    if (rows[at].eol === '') {
      rows[at].eol = file.eol;
      inserted[inserted.length - 1].eol = '';
    }
    rows.splice(at + 1, 0, ...inserted);
  } else if (change.kind === 'delete') {
    const last = rows[at].eol === '';
    rows.splice(at, change.count ?? 1);
    if (last && rows.length > 0) rows[rows.length - 1].eol = '';
  }
  return { ...file, rows };
}

// ── the model's intended change to a block ───────────────────────────────────
const comment = (lang, text) => (lang === 'css' ? `/* ${text} */` : lang === 'md' ? text : `// ${text}`);
const NOTES = [
  'TODO: handle the empty case',
  'keep in sync with the parser',
  'checked by review',
  'see issue 42',
  'fast path first',
];

/** Picks a change to line `line` of `block`; returns the change and the model's new block. */
function intend(block, source, kind = pick(['insert', 'insert', 'modify', 'delete']), avoid = new Set()) {
  const lang = source.lang;
  const options = block
    .map((_, j) => j)
    .filter((j) => !avoid.has(j) && !blank(block[j]) && (kind !== 'delete' || substantial(block[j])));
  const line = pick(options.length ? options : [0]);
  const indent = indentOf(block[line]);
  if (kind === 'insert') {
    const deeper = /[{([]\s*$/.test(block[line]) ? indent + source.unit : indent;
    const lines = [deeper + comment(lang, pick(NOTES))];
    return {
      change: { kind, line, lines },
      newBlock: [...block.slice(0, line + 1), ...lines, ...block.slice(line + 1)],
      changed: new Set(),
    };
  }
  if (kind === 'modify') {
    const text = lang === 'md' ? `${block[line]} (edited)` : `${block[line]} ${comment(lang, 'edited')}`;
    return {
      change: { kind, line, text },
      newBlock: block.map((l, j) => (j === line ? text : l)),
      changed: new Set([line]),
    };
  }
  return { change: { kind: 'delete', line }, newBlock: block.filter((_, j) => j !== line), changed: new Set([line]) };
}

// ── choosing blocks ──────────────────────────────────────────────────────────
/** A window of a source, and a block in it that is unique even when compared loosely. */
function choose({ lang, height = [3, 6], window = [40, 90], test = () => true, sourceFilter = () => true } = {}) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const source = pick(
      sources.filter(
        (s) => (!lang || (Array.isArray(lang) ? lang.includes(s.lang) : s.lang === lang)) && sourceFilter(s),
      ),
    );
    const size = Math.min(source.lines.length, int(window[0], window[1]));
    const from = int(0, source.lines.length - size);
    const lines = source.lines.slice(from, from + size);
    const k = int(height[0], height[1]);
    if (k > lines.length - 2) continue;
    const start = int(1, lines.length - k - 1);
    const block = lines.slice(start, start + k);
    if (blank(block[0]) || blank(block[k - 1]) || block.filter(substantial).length < Math.min(2, k)) continue;
    if (runCount(lines, block, loose) !== 1 || !test(block, lines, start)) continue;
    return { source, lines, start, block, from };
  }
  throw new Error('no block found');
}

// ── writing cases ────────────────────────────────────────────────────────────
let counter = 0;
const counts = {};
function emit(kind, { source, from, file, edits, expected, refusal, note }) {
  counter++;
  counts[kind] = (counts[kind] ?? 0) + 1;
  // .ts fixtures get a .txt suffix: the repository type-checks every .ts under test/.
  const ext = (extname(source.path).replace('.mjs', '.js') || '.txt').replace(/^\.ts$/, '.ts.txt');
  const dir = join(out, `${String(counter).padStart(3, '0')}-${kind}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `original${ext}`), serialize(file));
  writeFileSync(
    join(dir, 'edits.json'),
    `${JSON.stringify({ path: `original${ext.replace('.txt', '')}`, edits }, null, 2)}\n`,
  );
  if (expected) writeFileSync(join(dir, `expected${ext}`), serialize(expected));
  const meta = {
    class: kind,
    source: `node_modules/${source.path} from line ${from + 1}`,
    note,
    expect: refusal ? { refusal } : 'applied',
  };
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

const joinBlock = (lines, trailing) => lines.join('\n') + (trailing ? '\n' : '');
const edit = (oldLines, newLines, trailing = rand() < 0.5, extra = {}) => ({
  old_text: joinBlock(oldLines, trailing),
  new_text: newLines.length ? joinBlock(newLines, trailing) : '',
  ...extra,
});

/** A standard applied case: `perturb` turns the clean old/new blocks into what the model wrote. */
function applied(kind, { pickOptions = {}, fileOptions = {}, perturb = (o, n) => [o, n], note, changeKind, trailing }) {
  const chosen = choose(pickOptions);
  const { lines, start, block, source, from } = chosen;
  const intent = intend(block, source, changeKind, pickOptions.avoid?.(block));
  const file = makeFile(lines, fileOptions);
  const expected = applyIntent(file, start, intent.change);
  const [oldLines, newLines] = perturb(block, intent.newBlock, { ...chosen, intent });
  emit(kind, { source, from, file, edits: [edit(oldLines, newLines, trailing)], expected, note });
}

/** Lines of `newBlock` that are copies of `block` lines (context), as index in block or -1. */
function contextMap(block, newBlock, intent) {
  const map = [];
  let j = 0;
  for (let n = 0; n < newBlock.length; n++) {
    if (
      intent.change.kind === 'insert' &&
      n > intent.change.line &&
      n <= intent.change.line + intent.change.lines.length
    ) {
      map.push(-1);
      continue;
    }
    if (intent.change.kind === 'delete' && j === intent.change.line) j++;
    map.push(intent.change.kind === 'modify' && j === intent.change.line ? -1 : j);
    j++;
  }
  return map;
}
/** Applies `f` to every old line and to the new lines that copy them; `fresh` to the others. */
function perturbLines(f, fresh = (line) => line) {
  return (block, newBlock, { intent }) => {
    const map = contextMap(block, newBlock, intent);
    return [
      block.map((line, j) => f(line, j)),
      newBlock.map((line, n) => (map[n] >= 0 ? f(line, map[n]) : fresh(line))),
    ];
  };
}

// ── the classes ──────────────────────────────────────────────────────────────
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const times = (n, f) => {
  for (let i = 0; i < n; i++) f(i);
};

times(20, () => applied('exact', { note: 'old_text copied exactly' }));
times(6, () => {
  const chosen = choose({
    height: [1, 1],
    test: (block, lines) =>
      /\b[A-Za-z_]\w{3,}\b/.test(block[0]) &&
      block[0].trim().length > 20 &&
      lines.join('\n').split(block[0].trim()).length === 2,
  });
  const { lines, start, block, source, from } = chosen;
  const fragment = block[0].trim().slice(0, int(12, block[0].trim().length));
  if (lines.join('\n').split(fragment).length !== 2) return;
  const replaced = `${fragment}/*x*/`;
  const file = makeFile(lines);
  const expected = applyIntent(file, start, { kind: 'modify', line: 0, text: block[0].replace(fragment, replaced) });
  emit('substring', {
    source,
    from,
    file,
    edits: [{ old_text: fragment, new_text: replaced }],
    expected,
    note: 'old_text is part of one line',
  });
});
times(12, (i) =>
  applied('trailing-whitespace', {
    note: 'the model added trailing blanks to lines it copied',
    perturb: perturbLines((line, j) => (j % 2 === i % 2 ? `${line}${pick(['  ', ' ', '\t'])}` : line)),
  }),
);
times(5, () => {
  // The file has trailing blanks the model did not copy: they stay on the lines it kept.
  const chosen = choose({ lang: ['js', 'ts'] });
  const { lines, start, block, source, from } = chosen;
  const dirty = lines.map((line, i) =>
    i >= start && i < start + block.length && (i - start) % 2 === 0 && !blank(line) ? `${line}  ` : line,
  );
  const intent = intend(dirty.slice(start, start + block.length), source, 'insert');
  const file = makeFile(dirty);
  const expected = applyIntent(file, start, intent.change);
  const clean = (l) => l.trimEnd();
  emit('file-trailing-whitespace', {
    source,
    from,
    file,
    edits: [edit(dirty.slice(start, start + block.length).map(clean), intent.newBlock.map(clean))],
    expected,
    note: 'the file has trailing blanks the model dropped',
  });
});
times(12, () => applied('crlf', { fileOptions: { eol: '\r\n' }, note: 'CRLF file, model writes LF' }));
times(6, () =>
  applied('mixed-eol', {
    fileOptions: { eol: '\r\n', mixed: true },
    changeKind: pick(['insert', 'modify']),
    note: 'mostly CRLF with some LF lines: untouched lines keep theirs, new lines get CRLF',
  }),
);
times(4, () =>
  applied('crlf-model', {
    perturb: (o, n) => [o.map((l) => `${l}\r`), n.map((l) => `${l}\r`)],
    trailing: true,
    note: 'LF file, the model sent CRLF',
  }),
);
times(6, () => applied('bom', { fileOptions: { bom: true }, note: 'file starts with a BOM' }));
times(6, () => {
  const chosen = choose({ window: [30, 60] });
  const { source, from } = chosen;
  const lines = chosen.lines.slice(0, chosen.lines.length);
  while (blank(lines[lines.length - 1])) lines.pop();
  const k = Math.min(4, lines.length - 1);
  const start = lines.length - k;
  const block = lines.slice(start);
  if (runCount(lines, block, loose) !== 1 || block.filter(substantial).length < 2) return;
  const intent = intend(block, source, pick(['insert', 'modify', 'delete']));
  const file = makeFile(lines, { finalNewline: false });
  emit('no-final-newline', {
    source,
    from,
    file,
    edits: [edit(block, intent.newBlock)],
    expected: applyIntent(file, start, intent.change),
    note: 'file without a final newline, edit at its end',
  });
});
times(15, () =>
  applied('dropped-indentation', {
    pickOptions: {
      lang: ['js', 'ts', 'css'],
      test: (block) => block.every((l) => blank(l) || indentOf(l).length >= 2),
    },
    perturb: (o, n) => {
      const cut = Math.min(...o.filter((l) => !blank(l)).map((l) => indentOf(l).length));
      const strip = (l) => (blank(l) ? '' : l.slice(Math.min(cut, indentOf(l).length)));
      return [o.map(strip), n.map(strip)];
    },
    note: "the model dropped the block's common indentation",
  }),
);
times(8, () => {
  const sourceFilter = (s) =>
    [
      'typescript/lib/lib.es5.d.ts',
      'markdown-it/lib/renderer.mjs',
      'markdown-it/lib/ruler.mjs',
      'diff/libesm/diff/base.js',
    ].includes(s.path);
  const width = (path) => sources.find((s) => s.path === path).unit.length;
  applied('indent-unit', {
    pickOptions: {
      sourceFilter,
      test: (block, lines) => {
        const unit = unitOf(lines);
        return (
          new Set(block.filter((l) => !blank(l)).map((l) => indentOf(l).length)).size >= 2 &&
          block.every((l) => blank(l) || (!indentOf(l).includes('\t') && indentOf(l).length % unit.length === 0))
        );
      },
    },
    changeKind: 'insert',
    perturb: (o, n, { source }) => {
      const from = width(source.path);
      const to = from === 4 ? 2 : 4;
      const reunit = (l) => {
        const width = indentOf(l).length;
        return ' '.repeat(Math.floor(width / from) * to + (width % from)) + l.trimStart();
      };
      return [o.map(reunit), n.map(reunit)];
    },
    note: 'the model re-indented with another unit (2 vs 4 spaces)',
  });
});
times(10, (i) => {
  const tabs = i % 2 === 0;
  applied(tabs ? 'tabs-file-spaces-model' : 'spaces-file-tabs-model', {
    pickOptions: {
      sourceFilter: (s) =>
        (tabs
          ? ['globby/index.js', 'color-convert/conversions.js', 'camelcase/index.js']
          : [
              'markdown-it/lib/renderer.mjs',
              'markdown-it/lib/ruler.mjs',
              'diff/libesm/diff/base.js',
              'minimatch/dist/esm/ast.js',
            ]
        ).includes(s.path),
      test: (block) => block.some((l) => indentOf(l).length > 0),
    },
    perturb: (o, n, { source }) => {
      const swap = tabs
        ? (l) => indentOf(l).replace(/\t/g, '    ') + l.trimStart()
        : (l) => {
            const w = indentOf(l).length;
            return '\t'.repeat(Math.floor(w / source.unit.length)) + ' '.repeat(w % source.unit.length) + l.trimStart();
          };
      return [o.map(swap), n.map(swap)];
    },
    note: tabs ? 'tab-indented file, the model wrote spaces' : 'space-indented file, the model wrote tabs',
  });
});
const GUTTERS = [
  (n) => `${n} | `,
  (n) => `${n}: `,
  (n) => `${String(n).padStart(6)}\t`,
  (n) => `${String(n).padStart(6)}→`,
];
times(16, (i) => {
  const gutter = GUTTERS[i % GUTTERS.length];
  const chosen = choose({});
  const { lines, start, block, source, from } = chosen;
  const intent = intend(block, source);
  const file = makeFile(lines);
  const number = (j) => start + j + 1;
  const map = contextMap(block, intent.newBlock, intent);
  const oldLines = block.map((l, j) => gutter(number(j)) + l);
  const newLines = intent.newBlock.map((l, n) => (map[n] >= 0 ? gutter(number(map[n])) + l : l));
  emit('line-numbers', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected: applyIntent(file, start, intent.change),
    note: `line numbers copied from a read, like ${JSON.stringify(gutter(12))}`,
  });
});
const smarten = (line) =>
  line
    .replace(/"([^"\n]*)"/g, '\u201C$1\u201D')
    .replace(/'([^'\n]*)'/g, '\u2018$1\u2019')
    .replace(/ - /g, ' \u2013 ');
times(10, () =>
  applied('smart-quotes', {
    pickOptions: {
      lang: ['js', 'ts'],
      test: (block) =>
        block.some((l) => /'[^']*'|"[^"]*"/.test(l)) && !block.some((l) => /[\u2018-\u201D\u2013]/.test(l)),
    },
    perturb: perturbLines(smarten, smarten),
    note: 'quotes (and dashes) turned typographic, in old_text and new_text',
  }),
);
const typo = (line) => {
  const body = line.trimStart();
  const offset = line.length - body.length;
  const at = offset + int(Math.floor(body.length / 3), Math.floor((2 * body.length) / 3));
  const char = line[at];
  const swap = /[a-z]/.test(char) ? (char === 'e' ? 'a' : 'e') : /[A-Z]/.test(char) ? (char === 'E' ? 'A' : 'E') : null;
  return swap ? line.slice(0, at) + swap + line.slice(at + 1) : line.slice(0, at) + line.slice(at + 1);
};
times(15, () => {
  const chosen = choose({ height: [3, 6], test: (block) => block.filter((l) => l.trim().length >= 24).length >= 2 });
  const { lines, start, block, source, from } = chosen;
  const long = block.map((l, j) => j).filter((j) => block[j].trim().length >= 24);
  const target = pick(long);
  const intent = intend(block, source, pick(['insert', 'modify', 'delete']), new Set([target]));
  const mangled = typo(block[target]);
  const oldLines = block.map((l, j) => (j === target ? mangled : l));
  if (runCount(lines, oldLines, loose) !== 0 || nearWindows(lines, oldLines, 0.85, start) !== 0) return;
  const map = contextMap(block, intent.newBlock, intent);
  const newLines = intent.newBlock.map((l, n) => (map[n] === target ? mangled : l));
  const file = makeFile(lines);
  emit('typo-in-context', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected: applyIntent(file, start, intent.change),
    note: 'one-character typo in a line new_text keeps',
  });
});
times(6, () => {
  const chosen = choose({ test: (block) => block.filter((l) => l.trim().length >= 24).length >= 1 });
  const { lines, start, block, source, from } = chosen;
  const target = pick(block.map((l, j) => j).filter((j) => block[j].trim().length >= 24));
  const oldLines = block.map((l, j) => (j === target ? typo(l) : l));
  if (runCount(lines, oldLines, loose) !== 0) return;
  const newLines = oldLines.map((l, j) => (j === target ? `${l} ${comment(source.lang, 'edited')}` : l));
  const file = makeFile(lines);
  const text = `${block[target]} ${comment(source.lang, 'edited')}`;
  emit('typo-in-changed-line', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected: applyIntent(file, start, { kind: 'modify', line: target, text }),
    note: 'typo in the very line the model changes, copied into its new line: the file gets the change, not the typo',
  });
});
const MARKERS = ['// ... existing code ...', '...', '// ...', '/* ... */', '// … rest of the function …'];
times(14, (i) => {
  const chosen = choose({
    lang: ['js', 'ts'],
    height: [8, 24],
    window: [60, 120],
    test: (block, lines, start) => {
      const head = block.slice(0, 2);
      const tail = block.slice(-2);
      if (!head.every(substantial) || !tail.some(substantial)) return false;
      // The tail must be the first run after the head at its relative indentation: what "nearest" means.
      const keys = lines.map(loose);
      for (let p = start + 2; p < start + block.length - 2; p++) {
        if (
          keys[p] === loose(tail[0]) &&
          keys[p + 1] === loose(tail[1]) &&
          indentOf(lines[p]).length - indentOf(head[0]).length === indentOf(tail[0]).length - indentOf(head[0]).length
        )
          return false;
      }
      return runCount(lines, head, loose) === 1;
    },
  });
  const { lines, start, block, source, from } = chosen;
  const marker = indentOf(block[2]) + MARKERS[i % MARKERS.length];
  const k = block.length;
  const inHead = rand() < 0.5;
  const file = makeFile(lines);
  const insertAt = inHead ? 0 : k - 2;
  const added = `${indentOf(block[insertAt])}${comment(source.lang, pick(NOTES))}`;
  const expected = applyIntent(file, start, { kind: 'insert', line: insertAt, lines: [added] });
  const oldLines = [block[0], block[1], marker, block[k - 2], block[k - 1]];
  const newLines = inHead
    ? [block[0], added, block[1], marker, block[k - 2], block[k - 1]]
    : [block[0], block[1], marker, block[k - 2], added, block[k - 1]];
  emit('elided-middle', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected,
    note: `old_text elides the middle with ${JSON.stringify(MARKERS[i % MARKERS.length])}`,
  });
});
times(4, () => {
  // Without a marker in new_text the whole region is replaced: here, deleted.
  const chosen = choose({
    lang: ['js', 'ts'],
    height: [6, 12],
    test: (block, lines) =>
      runCount(lines, block.slice(0, 2), loose) === 1 &&
      block.slice(0, 2).every(substantial) &&
      runCount(lines, block.slice(-2), loose) === 1,
  });
  const { lines, start, block, source, from } = chosen;
  const file = makeFile(lines);
  const expected = applyIntent(file, start, { kind: 'delete', line: 0, count: block.length });
  const oldLines = [
    block[0],
    block[1],
    `${indentOf(block[2])}// ...`,
    block[block.length - 2],
    block[block.length - 1],
  ];
  emit('elided-delete', {
    source,
    from,
    file,
    edits: [{ old_text: `${oldLines.join('\n')}\n`, new_text: '' }],
    expected,
    note: 'elided old_text, empty new_text: the region is deleted',
  });
});
times(5, () => {
  const chosen = choose({ lang: ['js', 'ts'], height: [4, 8] });
  const { lines, block, source, from } = chosen;
  const newLines = [block[0], `${indentOf(block[1])}// ... existing code ...`, block[block.length - 1]];
  emit('lazy-new-text', {
    source,
    from,
    file: makeFile(lines),
    edits: [edit(block, newLines)],
    refusal: 'elision_mismatch',
    note: 'new_text elides code that old_text spells out: it would delete that code',
  });
});
times(10, () => {
  const chosen = choose({ height: [3, 5] });
  const { lines, block, source, from, start } = chosen;
  // The file moved on since the model read it: one line of its copy is now quite different.
  const target = pick(block.map((l, j) => j).filter((j) => substantial(block[j])));
  const others = lines.filter(
    (l, i) =>
      (i < start || i >= start + block.length) && substantial(l) && similar(loose(l), loose(block[target])) < 0.6,
  );
  if (others.length === 0) return;
  const other = pick(others);
  const oldLines = block.map((l, j) => (j === target ? indentOf(l) + other.trim() : l));
  if (runCount(lines, oldLines, loose) !== 0 || nearWindows(lines, oldLines, 0.85, -1) !== 0) return;
  const intent = intend(oldLines, source, 'insert');
  emit('stale', {
    source,
    from,
    file: makeFile(lines),
    edits: [edit(oldLines, intent.newBlock)],
    refusal: 'not_found',
    note: 'old_text is what the file said before someone changed a line',
  });
});
times(10, () => {
  // Real duplicated runs of lines: ambiguous, whatever the model does.
  for (let attempt = 0; attempt < 200; attempt++) {
    const source = pick(sources.filter((s) => s.lang !== 'md'));
    const size = Math.min(source.lines.length, int(80, 200));
    const from = int(0, source.lines.length - size);
    const lines = source.lines.slice(from, from + size);
    const k = int(2, 3);
    const i = int(0, lines.length - k);
    const block = lines.slice(i, i + k);
    if (block.filter(substantial).length < 2 || runCount(lines, block) < 2) continue;
    const intent = intend(block, source, 'insert');
    emit('duplicated-block', {
      source,
      from,
      file: makeFile(lines),
      edits: [edit(block, intent.newBlock)],
      refusal: 'ambiguous',
      note: `the block occurs ${runCount(lines, block)} times in the file`,
    });
    return;
  }
});
const repeatedLine = (lines) => {
  const counts = new Map();
  for (const line of lines) if (line.trim().length >= 5) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts]
    .filter(([line, count]) => count >= 2 && lines.join('\n').split(line).length - 1 === count)
    .map(([line]) => line)
    .sort();
};
times(8, () => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const source = pick(sources.filter((s) => s.lang !== 'md'));
    const from = int(0, Math.max(0, source.lines.length - 150));
    const lines = source.lines.slice(from, from + 150);
    const candidates = repeatedLine(lines);
    if (candidates.length === 0) continue;
    const line = pick(candidates);
    emit('not-unique', {
      source,
      from,
      file: makeFile(lines),
      edits: [{ old_text: line.trim(), new_text: `${line.trim()} ${comment(source.lang, 'edited')}` }],
      refusal: 'ambiguous',
      note: 'a single common line as old_text',
    });
    return;
  }
});
times(8, () => {
  for (let attempt = 0; attempt < 200; attempt++) {
    const source = pick(sources.filter((s) => s.lang === 'js' || s.lang === 'ts'));
    const from = int(0, Math.max(0, source.lines.length - 150));
    const lines = source.lines.slice(from, from + 150);
    const words = [...new Set(lines.join('\n').match(/\b[A-Za-z_][A-Za-z0-9_]{5,}\b/g) ?? [])]
      .sort()
      .filter((w) => lines.join('\n').split(w).length - 1 >= 2);
    if (words.length === 0) continue;
    const word = pick(words);
    const renamed = `${word}Renamed`;
    const file = makeFile(lines);
    const expected = { ...file, rows: file.rows.map((row) => ({ ...row, text: row.text.split(word).join(renamed) })) };
    emit('replace-all', {
      source,
      from,
      file,
      edits: [{ old_text: word, new_text: renamed, replace_all: true }],
      expected,
      note: `rename every ${word}`,
    });
    return;
  }
});
times(15, () => {
  // A block from another package's file: must be refused, never applied somewhere similar.
  const chosen = choose({});
  const other = choose({
    sourceFilter: (s) => s.path.split('/')[0] !== chosen.source.path.split('/')[0],
    test: (block) => runCount(chosen.lines, block, loose) === 0 && nearWindows(chosen.lines, block, 0.8, -1) === 0,
  });
  const intent = intend(other.block, other.source);
  emit('wrong-file', {
    source: chosen.source,
    from: chosen.from,
    file: makeFile(chosen.lines),
    edits: [edit(other.block, intent.newBlock)],
    refusal: 'not_found',
    note: `the block comes from node_modules/${other.source.path}`,
  });
});
times(8, () => {
  const chosen = choose({ height: [6, 9] });
  const { lines, block, source, from } = chosen;
  const a = block.slice(0, 4);
  const b = block.slice(2);
  if (runCount(lines, a, loose) !== 1 || runCount(lines, b, loose) !== 1) return;
  const first = intend(a, source, 'insert');
  const second = intend(b, source, 'insert');
  emit('overlapping-edits', {
    source,
    from,
    file: makeFile(lines),
    edits: [edit(a, first.newBlock), edit(b, second.newBlock)],
    refusal: 'overlap',
    note: 'two edits whose blocks share lines',
  });
});
times(10, () => {
  // Several separate edits in one call, each with its own small mistake.
  const chosen = choose({ height: [3, 4], window: [90, 160] });
  const { lines, source, from } = chosen;
  const file = makeFile(lines, { eol: rand() < 0.3 ? '\r\n' : '\n' });
  const taken = [];
  const edits = [];
  let expected = file;
  const wanted = int(2, 4);
  for (let attempt = 0; attempt < 300 && taken.length < wanted; attempt++) {
    const k = int(3, 4);
    const start = int(1, lines.length - k - 1);
    const block = lines.slice(start, start + k);
    if (taken.some(([s, e]) => start < e + 1 && s < start + k + 1)) continue;
    if (
      blank(block[0]) ||
      blank(block[k - 1]) ||
      block.filter(substantial).length < 2 ||
      runCount(lines, block, loose) !== 1
    )
      continue;
    taken.push([start, start + k]);
    edits.push({ start, block });
  }
  if (taken.length < 2) return;
  // Apply from the bottom so earlier line numbers stay put.
  const planned = edits.map(({ start, block }) => ({
    start,
    block,
    intent: intend(block, source, pick(['insert', 'modify'])),
  }));
  for (const { start, intent } of [...planned].sort((x, y) => y.start - x.start))
    expected = applyIntent(expected, start, intent.change);
  const calls = planned.map(({ block, intent }, n) => {
    if (n % 3 === 1 && block.every((l) => blank(l) || indentOf(l).length > 0)) {
      const cut = Math.min(...block.filter((l) => !blank(l)).map((l) => indentOf(l).length));
      const strip = (l) => (blank(l) ? '' : l.slice(Math.min(cut, indentOf(l).length)));
      return edit(block.map(strip), intent.newBlock.map(strip));
    }
    if (n % 3 === 2)
      return edit(
        block.map((l) => `${l} `),
        intent.newBlock.map((l) => `${l}`),
      );
    return edit(block, intent.newBlock);
  });
  // Each edit was located against the original, so order in the call does not matter.
  emit('multi-edit', {
    source,
    from,
    file,
    edits: calls.reverse(),
    expected,
    note: `${calls.length} edits in one call`,
  });
});
times(6, () => {
  const chosen = choose({ window: [60, 120] });
  const other = choose({
    sourceFilter: (s) => s.path.split('/')[0] !== chosen.source.path.split('/')[0],
    test: (block) => runCount(chosen.lines, block, loose) === 0 && nearWindows(chosen.lines, block, 0.8, -1) === 0,
  });
  const good = intend(chosen.block, chosen.source, 'insert');
  const bad = intend(other.block, other.source, 'insert');
  emit('one-bad-edit', {
    source: chosen.source,
    from: chosen.from,
    file: makeFile(chosen.lines),
    edits: [edit(chosen.block, good.newBlock), edit(other.block, bad.newBlock)],
    refusal: 'not_found',
    note: 'one good edit and one that does not belong: neither is applied',
  });
});
times(6, () => {
  const chosen = choose({
    test: (block, lines, start) => !blank(lines[start - 1]) && !blank(lines[start + block.length]),
  });
  const { lines, start, block, source, from } = chosen;
  const intent = intend(block, source, 'insert');
  const file = makeFile(lines);
  emit('blank-lines-around', {
    source,
    from,
    file,
    edits: [{ old_text: `\n${block.join('\n')}\n\n`, new_text: `\n${intent.newBlock.join('\n')}\n\n` }],
    expected: applyIntent(file, start, intent.change),
    note: 'the model wrapped old_text and new_text in blank lines the file does not have there',
  });
});
times(5, () => applied('delete-lines', { changeKind: 'delete', note: 'new_text drops a line' }));
times(4, () => {
  const chosen = choose({ height: [3, 5] });
  const { lines, start, block, source, from } = chosen;
  const intent = intend(block, source, 'delete');
  const file = makeFile(lines);
  emit('dropped-final-newline', {
    source,
    from,
    file,
    edits: [{ old_text: `${block.join('\n')}\n`, new_text: intent.newBlock.join('\n') }],
    expected: applyIntent(file, start, intent.change),
    note: 'old_text ends with a newline, new_text forgot it',
  });
});
times(3, () => {
  const chosen = choose({});
  emit('no-change', {
    source: chosen.source,
    from: chosen.from,
    file: makeFile(chosen.lines),
    edits: [edit(chosen.block, chosen.block)],
    refusal: 'no_change',
    note: 'new_text equals old_text',
  });
});

// ── added with the ordered, typo-in-replaced-line and trailing-blank rules (appended, so the
// cases above keep their numbers and their random draws) ─────────────────────────────────
times(12, (i) => {
  // A typo in a line the edit replaces: found, and the replacement overwrites the line.
  const chosen = choose({ test: (block) => block.filter((l) => l.trim().length >= 24).length >= 1 });
  const { lines, start, block, source, from } = chosen;
  const target = pick(block.map((l, j) => j).filter((j) => block[j].trim().length >= 24));
  const mangled = typo(block[target]);
  const oldLines = block.map((l, j) => (j === target ? mangled : l));
  if (runCount(lines, oldLines, loose) !== 0 || nearWindows(lines, oldLines, 0.85, start) !== 0) return;
  const file = makeFile(lines);
  const indent = indentOf(block[target]);
  const note = pick(NOTES);
  const variants = [
    // the model copied its typo into the line it changes
    [
      `${mangled} ${comment(source.lang, note)}`,
      { kind: 'modify', line: target, text: `${block[target]} ${comment(source.lang, note)}` },
    ],
    // the model rewrote the line from scratch
    [indent + comment(source.lang, note), { kind: 'modify', line: target, text: indent + comment(source.lang, note) }],
    // the model deleted the line
    [undefined, { kind: 'delete', line: target }],
  ];
  const [replacement, change] = variants[i % variants.length];
  const newLines = oldLines.flatMap((l, j) => (j !== target ? [l] : replacement === undefined ? [] : [replacement]));
  emit('typo-in-replaced-line', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected: applyIntent(file, start, change),
    note: 'one-character typo in a line new_text replaces',
  });
});
times(8, (i) => {
  // Refused: a typo in a kept line and one in a replaced line, or a replaced line that is not a typo away.
  const both = i % 2 === 0;
  const chosen = choose({ height: [3, 6], test: (block) => block.filter((l) => l.trim().length >= 40).length >= 2 });
  const { lines, start, block, source, from } = chosen;
  const long = block.map((l, j) => j).filter((j) => block[j].trim().length >= 40);
  const [kept, target] = [long[0], long[long.length - 1]];
  const rewrite = (line) => {
    const at = line.length - Math.floor(line.trimStart().length / 2);
    return line.slice(0, at) + (line.slice(at, at + 3) === 'QQQ' ? 'ZZZ' : 'QQQ') + line.slice(at + 3);
  };
  const oldLines = block.map((l, j) =>
    j === target ? (both ? typo(l) : rewrite(l)) : both && j === kept ? typo(l) : l,
  );
  if (runCount(lines, oldLines, loose) !== 0 || nearWindows(lines, oldLines, 0.85, start) !== 0) return;
  const newLines = oldLines.map((l, j) => (j === target ? `${l} ${comment(source.lang, 'edited')}` : l));
  emit('typo-refused', {
    source,
    from,
    file: makeFile(lines),
    edits: [edit(oldLines, newLines)],
    refusal: 'not_found',
    note: both
      ? 'typos in a line the edit keeps and in one it replaces: another version of the file'
      : 'a replaced line three characters away from the file: not a typo, refused',
  });
});
/** Runs of `k` lines in `lines` that occur exactly `times` times, exactly and loosely, never overlapping. */
function repeatedRuns(lines, k, times) {
  const found = [];
  for (let i = 0; i + k <= lines.length; i++) {
    const block = lines.slice(i, i + k);
    if (block.filter(substantial).length < 2 || blank(block[0]) || blank(block[k - 1])) continue;
    if (runCount(lines, block) !== times || runCount(lines, block, loose) !== times) continue;
    const at = [];
    for (let p = 0; p + k <= lines.length; p++) if (block.every((l, j) => lines[p + j] === l)) at.push(p);
    if (at[0] !== i || at.some((p, n) => n > 0 && p < at[n - 1] + k + 3)) continue;
    found.push({ block, at });
  }
  return found;
}
function repeatedWindow(times) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const source = pick(sources.filter((s) => s.lang !== 'md'));
    const size = Math.min(source.lines.length, int(80, 200));
    const from = int(0, source.lines.length - size);
    const lines = source.lines.slice(from, from + size);
    const runs = repeatedRuns(lines, int(2, 3), times);
    if (runs.length > 0) return { source, from, lines, ...pick(runs) };
  }
  throw new Error('no repeated block found');
}
times(6, (i) => {
  // The same old_text twice in one call: the first edit is the first place, the second the next.
  const { source, from, lines, block, at } = repeatedWindow(2);
  const first = intend(block, source, 'insert');
  const second = intend(block, source, 'insert');
  const file = makeFile(lines);
  const expected = applyIntent(applyIntent(file, at[1], second.change), at[0], first.change);
  const calls = [edit(block, first.newBlock), edit(block, second.newBlock)];
  // Half of them copied loosely, so the order is used at the line stages too.
  const loosen = (e) => ({ ...e, old_text: e.old_text.replace(/\n(?!$)/, ' \n') });
  emit('ordered-identical-blocks', {
    source,
    from,
    file,
    edits: i % 2 === 0 ? calls : calls.map(loosen),
    expected,
    note: `old_text occurs ${at.length} times and twice in the call, in file order`,
  });
});
times(3, () => {
  const { source, from, lines, block, at } = repeatedWindow(3);
  const first = intend(block, source, 'insert');
  const second = intend(block, source, 'insert');
  emit('ordered-identical-blocks', {
    source,
    from,
    file: makeFile(lines),
    edits: [edit(block, first.newBlock), edit(block, second.newBlock)],
    refusal: 'ambiguous',
    note: `old_text occurs ${at.length} times and twice in the call: the order leaves more than one choice`,
  });
});
times(8, (i) => {
  // A block that occurs twice, placed by a unique edit listed before or after it.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { source, from, lines, block, at } = repeatedWindow(2);
    const k = 3;
    const room = [];
    for (let p = at[0] + block.length + 1; p + k < at[1]; p++) {
      const unique = lines.slice(p, p + k);
      if (blank(unique[0]) || blank(unique[k - 1]) || unique.filter(substantial).length < 2) continue;
      if (runCount(lines, unique, loose) === 1) room.push(p);
    }
    if (room.length === 0) continue;
    const p = pick(room);
    const unique = lines.slice(p, p + k);
    const anchorFirst = i % 2 === 0;
    const target = anchorFirst ? at[1] : at[0];
    const anchor = intend(unique, source, 'insert');
    const repeated = intend(block, source, 'insert');
    const file = makeFile(lines);
    const [low, high] = anchorFirst
      ? [
          [p, anchor],
          [target, repeated],
        ]
      : [
          [target, repeated],
          [p, anchor],
        ];
    const expected = applyIntent(applyIntent(file, high[0], high[1].change), low[0], low[1].change);
    const calls = [edit(unique, anchor.newBlock), edit(block, repeated.newBlock)];
    emit('ordered-anchor', {
      source,
      from,
      file,
      edits: anchorFirst ? calls : calls.reverse(),
      expected,
      note: `old_text occurs twice; the edit ${anchorFirst ? 'before' : 'after'} it in the call leaves one place`,
    });
    return;
  }
});
times(9, (i) => {
  // New lines with trailing blanks, found by a loose match: the blanks are the model's and stay.
  const variant = i % 3;
  const pad = pick(['  ', ' ', '\t']);
  if (variant === 2) {
    // A Markdown line break added to a line, found with trailing-blank noise on another line.
    const chosen = choose({ lang: 'md', height: [3, 5], test: (block) => block.every((l) => l === l.trimEnd()) });
    const { lines, start, block, source, from } = chosen;
    const target = pick(block.map((l, j) => j).filter((j) => substantial(block[j])));
    const noisy = block.findIndex((l, j) => j !== target && !blank(l));
    if (noisy < 0) return;
    const oldLines = block.map((l, j) => (j === noisy ? `${l} ` : l));
    const newLines = oldLines.map((l, j) => (j === target ? `${l}  ` : l));
    const file = makeFile(lines);
    emit('trailing-blanks-in-new-lines', {
      source,
      from,
      file,
      edits: [edit(oldLines, newLines)],
      expected: applyIntent(file, start, { kind: 'modify', line: target, text: `${block[target]}  ` }),
      note: 'the model added a Markdown line break (two trailing spaces) to a line',
    });
    return;
  }
  const chosen = choose({
    lang: ['js', 'ts', 'css'],
    test: (block) => block.every((l) => blank(l) || indentOf(l).length >= 2) && block.every((l) => l === l.trimEnd()),
  });
  const { lines, start, block, source, from } = chosen;
  const line = pick(block.map((l, j) => j).filter((j) => !blank(block[j])));
  const indent = indentOf(block[line]);
  const added = [
    `${indent}${comment(source.lang, pick(NOTES))}${pad}`,
    indent + source.unit,
    `${indent}${comment(source.lang, pick(NOTES))}`,
  ];
  const file = makeFile(lines);
  const expected = applyIntent(file, start, { kind: 'insert', line, lines: added });
  const newBlock = [...block.slice(0, line + 1), ...added, ...block.slice(line + 1)];
  // Dropped indentation (re-based), or trailing blanks sprinkled on the copied lines.
  const cut = Math.min(...block.filter((l) => !blank(l)).map((l) => indentOf(l).length));
  const strip = (l) => (l === '' ? '' : l.slice(Math.min(cut, indentOf(l).length)));
  const [oldLines, newLines] =
    variant === 0
      ? [block.map(strip), newBlock.map(strip)]
      : [
          block.map((l, j) => (j % 2 === 0 && !blank(l) ? `${l} ` : l)),
          newBlock.map((l, n) => (n <= line && n % 2 === 0 && !blank(l) ? `${l} ` : l)),
        ];
  emit('trailing-blanks-in-new-lines', {
    source,
    from,
    file,
    edits: [edit(oldLines, newLines)],
    expected,
    note:
      variant === 0
        ? 'dropped indentation; the new lines end in blanks and one is only its indentation'
        : 'trailing-blank noise on copied lines; the new lines end in blanks and one is only its indentation',
  });
});

writeFileSync(
  join(out, '..', 'README.md'),
  `# Edit corpus

Generated by \`node scripts/make-edit-corpus.mjs\` from real files in node_modules (copied
here, so the corpus stays as it is when dependencies change). Each case in \`cases/\`:

- \`original.*\` — the file before the edit (exact bytes: CRLF, BOM and missing final newlines are deliberate);
- \`edits.json\` — the \`edit_file\` arguments the "model" sent, mistakes included;
- \`expected.*\` — the file the model meant, built by splicing lines, never by running the applier;
- \`case.json\` — class, source, note, and \`expect\`: \`"applied"\` or \`{ "refusal": kind }\`.

${counter} cases:

| class | cases |
| --- | --- |
${Object.entries(counts)
  .map(([kind, count]) => `| ${kind} | ${count} |`)
  .join('\n')}
`,
);
console.log(`${counter} cases in ${out}`);
