/**
 * MCP resources as @-mentions: `@mcp:server:uri`. Completion lists the resources of the servers
 * that may run (starting them, as any use does); a mention reads the resource as text.
 */
import type { McpManager } from './manager';

const MAX_LISTED = 200;

export interface ResourceText {
  readonly title: string;
  readonly text: string;
}

/** `server:uri` entries whose text or name contains `prefix`, for the mention menu. */
export async function completeResources(manager: McpManager, prefix: string): Promise<string[]> {
  const wanted = prefix.toLowerCase();
  const found: string[] = [];
  for await (const { server, client } of manager.readyClients('resources')) {
    try {
      let cursor: string | undefined;
      do {
        const page = await client.listResources(cursor ? { cursor } : undefined);
        for (const resource of page.resources) {
          const key = `${server}:${resource.uri}`;
          if (!wanted || key.toLowerCase().includes(wanted) || resource.name.toLowerCase().includes(wanted))
            found.push(key);
        }
        cursor = found.length < MAX_LISTED ? page.nextCursor : undefined;
      } while (cursor);
    } catch {
      // A server whose list fails is left out; completion goes on with the others.
    }
  }
  return found.slice(0, MAX_LISTED);
}

/** Reads `server:uri`; a string is the reason it could not be read. */
export async function readResource(
  manager: McpManager,
  reference: string,
  signal?: AbortSignal,
): Promise<ResourceText | string> {
  const colon = reference.indexOf(':');
  if (colon <= 0) return 'write it as @mcp:server:uri';
  const server = reference.slice(0, colon);
  const uri = reference.slice(colon + 1);
  const connection = manager.connection(server);
  if (!connection) return `there is no MCP server "${server}"`;
  const blocked = manager.blocked(connection.config);
  if (blocked) return `the MCP server "${server}" cannot run (${blocked})`;
  try {
    const client = await connection.ready();
    const result = await client.readResource({ uri }, { signal });
    const parts = result.contents.map((content) =>
      'text' in content && typeof content.text === 'string'
        ? content.text
        : `[${content.mimeType ?? 'binary'} content not shown]`,
    );
    return { title: `${server}: ${uri}`, text: parts.join('\n\n') };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
