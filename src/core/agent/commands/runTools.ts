/** The command tools as one set: run_command, read_command_output, stop_command, and their background jobs. */
import type { ToolSchema } from '../../model/types';
import { askUserTool } from '../askUser';
import type { InteractiveTool } from '../toolRunner';
import {
  backgroundTools,
  BackgroundCommands,
  type HandleNumbering,
  READ_OUTPUT_SCHEMA,
  STOP_SCHEMA,
} from './runBackground';
import { DEFAULT_LIMITS, RunCommandTool, type RunCommandDeps, runCommandSchema } from './runCommand';

export class CommandTools {
  readonly background: BackgroundCommands;
  readonly run: RunCommandTool;
  readonly tools: readonly InteractiveTool[];

  constructor(deps: RunCommandDeps, numbering?: HandleNumbering) {
    this.background = new BackgroundCommands(numbering);
    this.run = new RunCommandTool(deps, this.background);
    this.tools = [this.run, ...backgroundTools(this.background, deps.counter, this.run.limits.outputTokens)];
  }

  /** Kills every background command with its process tree. */
  dispose(): Promise<void> {
    return this.background.dispose();
  }
}

/**
 * The schemas the extension offers for commands and questions, in its order (the CLI's `--messages` sends the same).
 */
export const commandToolSchemas = (): ToolSchema[] => [
  runCommandSchema(DEFAULT_LIMITS),
  READ_OUTPUT_SCHEMA,
  STOP_SCHEMA,
  askUserTool.schema,
];
