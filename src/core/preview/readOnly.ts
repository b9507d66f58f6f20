/**
 * A guard on `evaluate`: the model may read the page (a score, a canvas size, a variable),
 * not change it behind the user's back. A screen, not a proof — the network sandbox still
 * holds whatever the expression does.
 */

const WRITES: readonly [RegExp, string][] = [
  [/(^|[^=!<>])=(?![=>])/, 'assignment'],
  [/\+\+|--/, 'increment or decrement'],
  [/[-+*/%&|^]=|<<=|>>=|\*\*=|\?\?=|&&=|\|\|=/, 'compound assignment'],
  [/\bdelete\b/, 'delete'],
  [/\b(fetch|XMLHttpRequest|WebSocket|sendBeacon|import|eval|Function|setTimeout|setInterval)\b/, 'a call that acts'],
  [
    // eslint-disable-next-line max-len -- one alternation of method names
    /\.(click|submit|remove|append\w*|prepend|insert\w*|replace\w*|set\w*|dispatchEvent|focus|play|pause|reset|open|write\w*|push|pop|shift|unshift|splice|sort|reverse|fill|assign|reload)\s*\(/,
    'a method that changes the page',
  ],
];

/** Why `expression` is refused, or undefined when it only reads. */
export function readOnlyProblem(expression: string): string | undefined {
  // Strings may hold anything ("a=b" as a selector); judge the code around them.
  const code = expression.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
  for (const [pattern, what] of WRITES)
    if (pattern.test(code))
      return `the expression contains ${what}; evaluate only reads the page (use click, type or press to act)`;
  return undefined;
}
