/** The command card's live view: output as it arrives, redrawn at most every 150 ms, then the result. */
import type { InteractiveContext } from '../toolRunner';
import type { OutputBuffer } from './output';
import type { CommandView } from './runViews';

export interface LiveCard {
  append(text: string): void;
  setVia(via: 'terminal' | 'process'): void;
  background(handle: string): void;
  finish(state: 'done' | 'failed' | 'stopped', exitCode: number | undefined, durationMs: number): void;
}

/** The card's live output, redrawn at most every 150 ms while the command prints. */
export function liveCard(
  context: InteractiveContext,
  command: string,
  cwd: string,
  output: OutputBuffer,
  chars: number,
): LiveCard {
  let view: CommandView = { command, cwd, state: 'running', output: '' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    timer = undefined;
    view = { ...view, output: output.last(chars) };
    context.show(view);
  };
  const now = (change: Partial<CommandView>) => {
    clearTimeout(timer);
    view = { ...view, ...change };
    draw();
  };
  return {
    append: (text) => {
      output.append(text);
      timer ??= setTimeout(draw, 150);
    },
    setVia: (via) => now({ via }),
    background: (handle) => now({ state: 'background', handle }),
    finish: (state, exitCode, durationMs) =>
      now({ state, durationMs, ...(exitCode === undefined ? {} : { exitCode }) }),
  };
}
