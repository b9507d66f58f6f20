/** The instruction box: a quick input with the last instructions to pick from; Escape cancels. */
import * as vscode from 'vscode';

const HISTORY_KEY = 'qcoder.inlineEdit.history';
const HISTORY_SIZE = 30;

export class InstructionHistory {
  constructor(private readonly state: vscode.Memento) {}

  get items(): string[] {
    return this.state.get<string[]>(HISTORY_KEY, []);
  }

  async add(instruction: string): Promise<void> {
    const items = [instruction, ...this.items.filter((each) => each !== instruction)].slice(0, HISTORY_SIZE);
    await this.state.update(HISTORY_KEY, items);
  }
}

/** The instruction typed (or picked from the history), or undefined when the user cancelled. */
export function askInstruction(title: string, history: InstructionHistory): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = vscode.window.createQuickPick();
    input.title = title;
    input.placeholder = 'Describe the change, e.g. "add error handling" (Enter); earlier ones below; Escape cancels';
    input.items = history.items.map((label) => ({ label, description: 'earlier' }));
    input.matchOnDescription = false;
    let chosen: string | undefined;
    input.onDidAccept(() => {
      const typed = input.value.trim();
      chosen = typed || input.activeItems[0]?.label;
      if (chosen) input.hide();
    });
    input.onDidHide(() => {
      input.dispose();
      if (chosen) void history.add(chosen);
      resolve(chosen);
    });
    input.show();
  });
}
