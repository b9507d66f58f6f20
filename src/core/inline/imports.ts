/** The lines of a file that bring in other modules, in the languages people edit most. */

const IMPORT_LINE = [
  /^\s*import\s/, // JS/TS, Python, Java, Kotlin, Go, Swift, Dart
  /^\s*export\s+(\*|\{[^}]*\})\s+from\s/, // JS/TS re-exports
  /^\s*(const|let|var)\s+[\w{}\s,:]+=\s*require\(/, // CommonJS
  /^\s*from\s+[\w.]+\s+import\s/, // Python
  /^\s*use\s+[\w:{}*,\s]+;/, // Rust, PHP
  /^\s*#\s*include\s*[<"]/, // C, C++
  /^\s*using\s+[\w.]+\s*;/, // C#
  /^\s*require(_once)?\s*\(?\s*['"]/, // Ruby, PHP
];

/** Statements that span lines: Go's `import (` … `)`, JS/TS `import {` … `} from '…'`. */
const BLOCKS: readonly { open: RegExp; close: RegExp }[] = [
  { open: /^\s*import\s*\($/, close: /^\s*\)/ },
  { open: /^\s*(import|export)\s+(type\s+)?\{[^}]*$/, close: /\}\s*from\s/ },
];

/** 0-based indexes of the import lines; a statement over several lines counts line by line. */
export function importLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  let close: RegExp | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (close) {
      out.push(i);
      if (close.test(line)) close = undefined;
      continue;
    }
    const block = BLOCKS.find((each) => each.open.test(line));
    if (block) {
      close = block.close;
      out.push(i);
    } else if (IMPORT_LINE.some((pattern) => pattern.test(line))) out.push(i);
  }
  return out;
}
