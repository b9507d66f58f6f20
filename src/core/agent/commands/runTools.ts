/** The command tools as one set: run_command, read_command_output, stop_command, and their background jobs. */
import type { InteractiveTool } from '../toolRunner';
import { backgroundTools, BackgroundCommands } from './runBackground';
import { RunCommandTool, type RunCommandDeps } from './runCommand';

export class CommandTools {
  readonly background = new BackgroundCommands();
  readonly run: RunCommandTool;
  readonly tools: readonly InteractiveTool[];

  constructor(deps: RunCommandDeps) {
    this.run = new RunCommandTool(deps, this.background);
    this.tools = [this.run, ...backgroundTools(this.background, deps.counter, this.run.limits.outputTokens)];
  }

  /** Kills every background command with its process tree. */
  dispose(): Promise<void> {
    return this.background.dispose();
  }
}
