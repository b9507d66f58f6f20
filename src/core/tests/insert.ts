/**
 * The test file's new text: the generated code put where this project's tests go, its
 * imports merged with the file's own. The extension decides the file and the place; the
 * model's code is only ever placed, never trusted to say where it goes.
 */
import { blockBody, dedent, indent } from './braces';
import { baseName, type Language, stemOf } from './frameworks';
import { mergeImports, splitImports, trimBlankLines } from './imports';

export interface Insertion {
  readonly language: Language;
  /** The target's text now; undefined for a new file. For Rust it is the source file. */
  readonly existing: string | undefined;
  /** The test code from the model (fences removed). */
  readonly code: string;
  /** The code under test's file text (its package name is reused). */
  readonly sourceText: string;
  /** The test file's project-relative path. */
  readonly testPath: string;
}

export function insertTests(input: Insertion): string {
  switch (input.language) {
    case 'typescript':
    case 'javascript':
      return insertScript(input);
    case 'python':
      return insertPython(input);
    case 'go':
      return insertGo(input);
    case 'java':
      return insertJava(input);
    case 'rust':
      return insertRust(input);
  }
}

const ending = (text: string) => `${text.replace(/\s+$/, '')}\n`;

/** Where imports go in a file that has none: after a shebang, 'use strict' and leading comments. */
function headerEnd(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match ? match[0].length : 0;
}

function insertScript(input: Insertion): string {
  const { imports, body } = splitImports(input.code, 'script');
  if (input.existing === undefined) return ending(imports.length ? `${imports.join('\n')}\n\n${body}` : body);
  const header = headerEnd(
    input.existing,
    /^(#![^\n]*\n)?(?:(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/|['"]use strict['"];?)\s*\n)*/,
  );
  const merged = mergeImports(input.existing, imports, 'script', header);
  return ending(`${merged.replace(/\s+$/, '')}\n\n${body}`);
}

const PY_MAIN = /^if __name__ == ['"]__main__['"]:/m;

function insertPython(input: Insertion): string {
  const { imports, body } = splitImports(input.code, 'python');
  if (input.existing === undefined) return ending(imports.length ? `${imports.join('\n')}\n\n\n${body}` : body);
  const header = headerEnd(
    input.existing,
    /^(?:#[^\n]*\n)*(?:[ \t]*\n)*(?:(?:"""[\s\S]*?"""|'''[\s\S]*?''')[ \t]*\n)?/,
  );
  const merged = mergeImports(input.existing, imports, 'python', header);
  const main = PY_MAIN.exec(merged);
  if (!main) return ending(`${merged.replace(/\s+$/, '')}\n\n\n${body}`);
  // The unittest entry point stays last.
  const before = merged.slice(0, main.index).replace(/\s+$/, '');
  return ending(`${before}\n\n\n${body}\n\n\n${merged.slice(main.index)}`);
}

const GO_BLOCK = /^import\s*\(([^)]*)\)[ \t]*$/gm;
const GO_SINGLE = /^import[ \t]+((?:[\w.]+[ \t]+)?"[^"\n]+")[ \t]*$/gm;

function goImports(text: string): { specs: string[]; rest: string } {
  const specs: string[] = [];
  const rest = text
    .replace(GO_BLOCK, (_, inner: string) => {
      for (const line of inner.split('\n')) if (line.trim() && !line.trim().startsWith('//')) specs.push(line.trim());
      return '';
    })
    .replace(GO_SINGLE, (_, spec: string) => {
      specs.push(spec.trim().replace(/\s+/g, ' '));
      return '';
    })
    .replace(/^package[ \t]+\w+[ \t]*$/m, '');
  return { specs, rest: trimBlankLines(rest) };
}

function renderGoImports(specs: readonly string[]): string {
  return specs.length === 1 ? `import ${specs[0]}` : `import (\n${specs.map((spec) => `\t${spec}`).join('\n')}\n)`;
}

function insertGo(input: Insertion): string {
  const generated = goImports(input.code);
  if (input.existing === undefined) {
    const name = /^package[ \t]+(\w+)/m.exec(input.sourceText)?.[1] ?? 'main';
    const head = generated.specs.length ? `\n\n${renderGoImports(generated.specs)}` : '';
    return ending(`package ${name}${head}\n\n${generated.rest}`);
  }
  const present = goImports(input.existing).specs;
  const missing = generated.specs.filter((spec) => !present.includes(spec));
  return ending(`${addGoSpecs(input.existing, missing).replace(/\s+$/, '')}\n\n${generated.rest}`);
}

function addGoSpecs(text: string, specs: readonly string[]): string {
  if (!specs.length) return text;
  const block = /^import\s*\(([^)]*)\)/m.exec(text);
  if (block) {
    const close = block.index + block[0].length - 1;
    const before = text.slice(0, close).replace(/\s+$/, '');
    return `${before}\n${specs.map((spec) => `\t${spec}`).join('\n')}\n${text.slice(close)}`;
  }
  const singles = [...text.matchAll(GO_SINGLE)];
  const last = singles.at(-1);
  const at = last ? last.index + last[0].length : (/^package[ \t]+\w+[ \t]*$/m.exec(text)?.[0].length ?? 0);
  const lines = last ? specs.map((spec) => `\nimport ${spec}`).join('') : `\n\n${renderGoImports(specs)}`;
  return text.slice(0, at) + lines + text.slice(at);
}

const JAVA_IMPORT = /^import[ \t]+(?:static[ \t]+)?[\w.*]+[ \t]*;[ \t]*$/gm;
const JAVA_CLASS = /\bclass\s+(\w+)[^{]*/;

function insertJava(input: Insertion): string {
  const imports = [...input.code.matchAll(JAVA_IMPORT)].map((match) => match[0].trim());
  const rest = trimBlankLines(input.code.replace(JAVA_IMPORT, '').replace(/^package[ \t]+[\w.]+[ \t]*;[ \t]*$/m, ''));
  if (input.existing === undefined) {
    // The public class must carry the file's name.
    const named = rest.replace(JAVA_CLASS, (header: string, name: string) =>
      header.replace(name, stemOf(baseName(input.testPath))),
    );
    const pkg = /^package[ \t]+[\w.]+[ \t]*;/m.exec(input.sourceText)?.[0];
    const parts = [pkg, imports.join('\n'), named].filter((part): part is string => !!part);
    return ending(parts.join('\n\n'));
  }
  const text = addJavaImports(input.existing, imports);
  const target = blockBody(text, JAVA_CLASS);
  if (!target) return ending(`${text.replace(/\s+$/, '')}\n\n${rest}`);
  const members = withoutKnownFields(classMembers(rest), text.slice(target.open, target.close));
  const head = text.slice(0, target.close).replace(/\s+$/, '');
  return `${head}\n\n${indent(members, '    ')}\n${text.slice(target.close)}`;
}

const JAVA_PACKAGE = /^package[ \t]+[\w.]+[ \t]*;[ \t]*$/m;

/** Missing imports, each after the last existing import of its kind (static or not). */
function addJavaImports(text: string, imports: readonly string[]): string {
  const squash = (line: string) => line.replace(/\s+/g, ' ').trim();
  const isStatic = (line: string) => /^import\s+static\b/.test(line.trim());
  let out = text;
  for (const line of imports) {
    const present = [...out.matchAll(JAVA_IMPORT)];
    if (present.some((match) => squash(match[0]) === squash(line))) continue;
    const kin = present.filter((match) => isStatic(match[0]) === isStatic(line)).at(-1);
    if (!kin) {
      out = addLines(out, [line], JAVA_IMPORT, JAVA_PACKAGE);
      continue;
    }
    const at = kin.index + kin[0].length;
    out = `${out.slice(0, at)}\n${line}${out.slice(at)}`;
  }
  return out;
}

/** Drops field declarations (top-level one-line members) the existing class already declares. */
function withoutKnownFields(members: string, existingBody: string): string {
  const known = new Set(existingBody.split('\n').map((line) => line.trim()));
  let depth = 0;
  const kept = members.split('\n').filter((line) => {
    const top = depth === 0;
    for (const char of line)
      if (char === '{') depth++;
      else if (char === '}') depth--;
    return !(top && /;\s*$/.test(line) && known.has(line.trim()));
  });
  return trimBlankLines(kept.join('\n').replace(/\n{3,}/g, '\n\n'));
}

/** A generated class's members (dedented), or the code itself when it is not a class. */
function classMembers(code: string): string {
  const block = blockBody(code, JAVA_CLASS);
  return trimBlankLines(dedent(block ? code.slice(block.open + 1, block.close) : code));
}

/** Adds `lines` after the last match of `pattern`, or after `anchor`, or at the top. */
function addLines(text: string, lines: readonly string[], pattern: RegExp, anchor: RegExp): string {
  if (!lines.length) return text;
  const last = [...text.matchAll(pattern)].at(-1);
  if (last) {
    const at = last.index + last[0].length;
    return `${text.slice(0, at)}\n${lines.join('\n')}${text.slice(at)}`;
  }
  const head = anchor.exec(text);
  const at = head ? head.index + head[0].length : 0;
  return head
    ? `${text.slice(0, at)}\n\n${lines.join('\n')}${text.slice(at)}`
    : `${lines.join('\n')}\n\n${text.slice(at)}`;
}

const RUST_USE = /^[ \t]*use[ \t]+[^;]+;[ \t]*$/gm;
const RUST_MODULE = /#\[cfg\(test\)\]\s*mod\s+\w+\s*/;

function insertRust(input: Insertion): string {
  const source = input.existing ?? input.sourceText;
  const block = blockBody(input.code, /\bmod\s+\w+\s*/);
  const inner = dedent(
    block ? input.code.slice(block.open + 1, block.close) : input.code.replace(/^#\[cfg\(test\)\]\s*$/m, ''),
  );
  const uses = [...inner.matchAll(RUST_USE)].map((match) => match[0].trim());
  const body = trimBlankLines(dedent(inner.replace(RUST_USE, '')));
  const module = blockBody(source, RUST_MODULE);
  if (!module) {
    const all = uses.includes('use super::*;') ? uses : ['use super::*;', ...uses];
    return ending(
      `${source.replace(/\s+$/, '')}\n\n#[cfg(test)]\nmod tests {\n` +
        `${indent(`${all.join('\n')}\n\n${body}`, '    ')}\n}`,
    );
  }
  const present = new Set([...source.slice(module.open, module.close).matchAll(RUST_USE)].map((m) => m[0].trim()));
  const missing = uses.filter((line) => !present.has(line));
  const head = source.slice(0, module.close).replace(/\s+$/, '');
  const tail = source.slice(module.close);
  const added = missing.length ? `${indent(missing.join('\n'), '    ')}\n\n` : '';
  return `${head}\n\n${added}${indent(body, '    ')}\n${tail}`;
}
