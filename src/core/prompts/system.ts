/** The system prompt. Kept stable across turns so servers can cache the prefix. */
export function systemPrompt(options: { readonly workspaceName?: string } = {}): string {
  const where = options.workspaceName ? ` The user has the workspace "${options.workspaceName}" open in VS Code.` : '';
  return [
    `You are QCoder, a coding assistant inside VS Code.${where}`,
    'Answer in GitHub-flavoured Markdown. Put code in fenced blocks with a language tag.',
    'Be direct and precise; say when you are unsure rather than guessing.',
  ].join('\n');
}
