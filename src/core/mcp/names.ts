/**
 * The names MCP tools are offered under: `server__tool`, cut down to what every
 * OpenAI-compatible server accepts for a function name (`^[a-zA-Z0-9_-]{1,64}$`), unique,
 * and never one of QCoder's own tools (a server cannot shadow `read_file`).
 */
const MAX = 64;
const SEPARATOR = '__';

export interface NamedTool {
  readonly server: string;
  readonly tool: string;
}

export interface ToolNaming {
  /** The name the model sees → the server and the tool's own name. */
  readonly byName: ReadonlyMap<string, NamedTool>;
  /** Tools that could not be offered, with the reason. */
  readonly refused: readonly { readonly tool: NamedTool; readonly reason: string }[];
}

export function sanitize(part: string): string {
  const clean = part.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/_{3,}/g, '__');
  return clean === '' ? '_' : clean;
}

/** Names every tool; `reserved` are the built-in tool names. */
export function nameTools(tools: readonly NamedTool[], reserved: ReadonlySet<string>): ToolNaming {
  const byName = new Map<string, NamedTool>();
  const refused: { tool: NamedTool; reason: string }[] = [];
  for (const tool of tools) {
    const server = sanitize(tool.server).slice(0, 24);
    const base = `${server}${SEPARATOR}${sanitize(tool.tool)}`;
    let name = base.slice(0, MAX);
    if (reserved.has(name)) {
      refused.push({ tool, reason: `its name collides with QCoder's own tool "${name}"` });
      continue;
    }
    for (let n = 2; byName.has(name); n++) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MAX - suffix.length)}${suffix}`;
    }
    byName.set(name, tool);
  }
  return { byName, refused };
}
