/**
 * MCP prompts as slash commands: `/mcp.server.prompt arg1 "arg two"` asks the server for the
 * prompt with its declared arguments in order, and the prompt's text becomes the message.
 */
import { type CustomCommand, COMMAND_NAME, splitArguments } from '../slash/customCommands';
import type { McpManager } from './manager';

interface PromptInfo {
  readonly name: string;
  readonly description?: string;
  readonly arguments?: readonly { readonly name: string; readonly required?: boolean }[];
}

/** The prompts of every server that may run, as commands whose expansion asks the server. */
export async function promptCommands(manager: McpManager): Promise<CustomCommand[]> {
  const commands: CustomCommand[] = [];
  for await (const { server, client } of manager.readyClients('prompts')) {
    const prompts = await client.listPrompts().then(
      (listed) => listed.prompts,
      () => [], // a server whose list fails offers no prompts
    );
    for (const prompt of prompts) {
      const command = promptCommand(server, prompt, async (args) => {
        const result = await client.getPrompt({ name: prompt.name, arguments: args });
        return promptText(result.messages);
      });
      if (command) commands.push(command);
    }
  }
  return commands;
}

/** One prompt as a command; undefined when its name cannot be typed as one. */
export function promptCommand(
  server: string,
  prompt: PromptInfo,
  get: (args: Record<string, string>) => Promise<string>,
): CustomCommand | undefined {
  const name = `mcp.${server}.${prompt.name}`;
  if (!COMMAND_NAME.test(name)) return undefined;
  const declared = prompt.arguments ?? [];
  const hint = declared.map((arg) => (arg.required ? `<${arg.name}>` : `[${arg.name}]`)).join(' ');
  return {
    name,
    description: `${prompt.description ?? prompt.name} (MCP prompt of ${server})`,
    ...(hint ? { argumentHint: hint } : {}),
    body: '',
    origin: `MCP server ${server}`,
    expand: async (text: string) => {
      const values = splitArguments(text);
      const args: Record<string, string> = {};
      declared.forEach((arg, index) => {
        // The last declared argument takes the rest of the line.
        const value = index === declared.length - 1 ? values.slice(index).join(' ') : values[index];
        if (value) args[arg.name] = value;
      });
      const missing = declared.filter((arg) => arg.required && !(arg.name in args)).map((arg) => arg.name);
      if (missing.length) throw new Error(`/${name} needs ${missing.join(', ')} (${hint})`);
      return get(args);
    },
  };
}

/** The prompt's messages as one message: text parts as written, other parts named. */
export function promptText(messages: readonly { readonly role: string; readonly content: unknown }[]): string {
  return messages
    .map((message) => {
      const content = message.content as { type?: string; text?: string; resource?: { uri?: string; text?: string } };
      if (content?.type === 'text' && typeof content.text === 'string') return content.text;
      if (content?.type === 'resource' && typeof content.resource?.text === 'string') return content.resource.text;
      return `[${content?.type ?? 'unknown'} content from the prompt not shown]`;
    })
    .join('\n\n');
}
