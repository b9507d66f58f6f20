/** The completions status-bar item: on/off (a click toggles), a request in flight, and why none came. */
import * as vscode from 'vscode';
import type { CompleterState } from '../../core/completion/completer';

export const COMPLETIONS_STATUS_ID = 'qcoder.completions.status';
export const TOGGLE_COMMAND = 'qcoder.completions.toggle';

export type StatusState = CompleterState | 'off' | 'language-off';

const LOOK: Readonly<Record<StatusState, { icon: string; say: string }>> = {
  idle: { icon: '$(pass)', say: 'on' },
  'in-flight': { icon: '$(loading~spin)', say: 'asking the server…' },
  cancelled: { icon: '$(pass)', say: 'on' },
  empty: { icon: '$(pass)', say: 'on — the model had nothing to add here' },
  comment: { icon: '$(pass)', say: 'on — not in comments and strings (qcoder.completions.inCommentsAndStrings)' },
  off: { icon: '$(circle-slash)', say: 'off' },
  'language-off': { icon: '$(circle-slash)', say: 'off for this language' },
  unsupported: { icon: '$(warning)', say: 'the server does not do fill-in-the-middle' },
  'rate-limited': { icon: '$(watch)', say: 'paused: the server said too many requests' },
  error: { icon: '$(error)', say: 'the last request failed' },
};

export class CompletionsStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  state: StatusState = 'idle';
  detail: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem(COMPLETIONS_STATUS_ID, vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'QCoder Completions';
    this.item.command = TOGGLE_COMMAND;
    this.set('idle');
    this.item.show();
  }

  set(state: StatusState, detail?: string, why?: string): void {
    this.state = state;
    this.detail = detail;
    const look = LOOK[state];
    this.item.text = `${look.icon} Completions`;
    const lines = [`QCoder completions: ${look.say}`];
    if (why) lines.push(why);
    if (detail) lines.push(detail);
    lines.push(state === 'off' ? 'Click to turn on.' : 'Click to turn off.');
    this.item.tooltip = lines.join('\n\n');
  }

  dispose(): void {
    this.item.dispose();
  }
}
