/**
 * The chat webview's body, the same for the sidebar and an editor tab (apart from the toolbar).
 * Plain strings without `vscode`, so the webview benchmark loads the very same markup.
 */

/** Where the chat is shown: the sidebar view has its New Chat in the view's title bar; a tab has its own. */
export type ChatSurface = 'sidebar' | 'panel';

/** A toolbar button drawn with a codicon; the label is for screen readers and the tooltip names the shortcut. */
function iconButton(id: string, icon: string, label: string, extra = ''): string {
  return (
    `<button id="${id}" class="icon" title="${label}" aria-label="${label}"${extra}>` +
    `<span class="codicon codicon-${icon}" aria-hidden="true"></span></button>`
  );
}

// The longest attributes, kept apart so the markup below stays readable; the bytes are the same.
const METER_BUTTON =
  `<button id="meter" class="secondary" title="What went into the model's window (click for the ledger)" ` +
  `aria-expanded="false" aria-controls="ledger">— / —</button>`;
const PROMPT_HINT = 'Ask QCoder… (@ context, / commands, ↑ earlier)';
const PROMPT_TITLE =
  'Enter to send, Shift+Enter for a new line, @ to attach context, / for commands, ↑ for earlier prompts, ' +
  'Shift+drop a file to mention it';

/** Everything inside <body> but the script. */
export function chatBody(surface: ChatSurface): string {
  const historyToggle = iconButton(
    'history-toggle',
    'history',
    'Chat history: search, rename, delete',
    ' aria-expanded="false" aria-controls="history"',
  );
  return `<h1 class="sr-only">QCoder chat</h1>
<header id="toolbar" aria-label="Chat">
  <select id="sessions" title="Switch chat" aria-label="Switch chat"></select>
  ${historyToggle}
  ${surface === 'panel' ? iconButton('new-chat', 'add', 'New chat') : ''}
  ${surface === 'sidebar' ? iconButton('open-in-editor', 'link-external', 'Open chat in editor') : ''}
</header>
<section id="history" hidden aria-label="Chat history"></section>
<section id="setup" hidden aria-labelledby="setup-text">
  <p id="setup-text"></p>
  <div class="setup-buttons">
    <button id="setup-provider">Choose Provider…</button>
    <button id="setup-key" class="secondary">Set API Key</button>
    <button id="setup-settings" class="secondary">Open Settings</button>
  </div>
  <div id="local-servers"></div>
</section>
<main id="messages" aria-label="Conversation"></main>
<div id="work-status" role="status" aria-live="polite"></div>
<div id="announcer" class="sr-only" aria-live="polite" aria-atomic="true"></div>
<footer id="composer">
  <section id="ledger" hidden aria-label="Context of the last request"></section>
  <div id="status-line">
    <div id="connection" title=""></div>
    ${METER_BUTTON}
  </div>
  <ul id="mention-menu" role="listbox" hidden aria-label="Mentions"></ul>
  <textarea id="prompt" rows="3" placeholder="${PROMPT_HINT}" title="${PROMPT_TITLE}" aria-label="Message"></textarea>
  <div id="actions">
    ${iconButton('stop', 'debug-stop', 'Stop (Escape)', ' hidden')}
    ${iconButton('send', 'send', 'Send (Enter)')}
  </div>
</footer>
`;
}
