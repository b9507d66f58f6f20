/**
 * MCP server definitions as users already write them for Qwen Code, Claude, Cursor and VS Code,
 * so a copied block works unchanged: `{ "name": { "command", "args", "env", "cwd" } }` for
 * stdio, `{ "name": { "url", "headers" } }` for Streamable HTTP (legacy SSE detected), with or
 * without an outer `mcpServers` / `servers` key.
 */
import { createHash } from 'node:crypto';

export type McpTransportKind = 'stdio' | 'http' | 'sse';

interface Common {
  readonly name: string;
  /** Where it was defined: a workspace definition starts only once the user approved it. */
  readonly origin: 'user' | 'workspace';
  readonly disabled: boolean;
  /** The definition as written (before `${…}` is resolved): what a workspace approval is bound to. */
  readonly written: string;
  /** What to show a person: the command line or URL as written, so no resolved secret is ever on screen. */
  readonly shown: string;
}

export interface StdioServer extends Common {
  readonly kind: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface RemoteServer extends Common {
  readonly kind: 'http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type McpServerConfig = StdioServer | RemoteServer;

/** Resolves `${env:NAME}`, `${NAME}` and `${secret:NAME}`; undefined when the value is unknown. */
export interface Variables {
  env(name: string): string | undefined;
  secret?(name: string): string | undefined;
  workspaceFolder?: string;
}

export interface ParsedServers {
  readonly servers: McpServerConfig[];
  /** One sentence per definition that was left out, naming it. */
  readonly problems: string[];
}

/** The keys that decide what runs or where it connects (not `disabled`, not a `trust` flag from another tool). */
const DECIDING_KEYS = ['type', 'command', 'args', 'env', 'cwd', 'url', 'httpUrl', 'headers'];

const VARIABLE = /\$\{(?:(env|secret):)?([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/** Reads a settings value or a config file's JSON into server definitions; bad entries are named, not fatal. */
export function parseServers(raw: unknown, origin: Common['origin'], variables: Variables): ParsedServers {
  const servers: McpServerConfig[] = [];
  const problems: string[] = [];
  const map = serverMap(raw);
  if (!map) {
    if (raw !== undefined && raw !== null) problems.push('MCP servers must be an object of named server definitions.');
    return { servers, problems };
  }
  for (const [name, value] of Object.entries(map)) {
    const parsed = parseOne(name, value, origin, variables);
    if (typeof parsed === 'string') problems.push(`MCP server "${name}": ${parsed}`);
    else servers.push(parsed);
  }
  return { servers, problems };
}

function serverMap(raw: unknown): Record<string, unknown> | undefined {
  if (!isObject(raw)) return undefined;
  if (isObject(raw.mcpServers)) return raw.mcpServers;
  if (isObject(raw.servers)) return raw.servers;
  return raw;
}

function parseOne(
  name: string,
  value: unknown,
  origin: Common['origin'],
  variables: Variables,
): McpServerConfig | string {
  if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(name)) return 'the name must be letters, digits, "-", "_" or "." (at most 64).';
  if (!isObject(value)) return 'the definition must be an object.';
  const disabled = value.disabled === true || value.enabled === false;
  const type = typeof value.type === 'string' ? value.type.toLowerCase() : undefined;
  const unresolved: string[] = [];
  const expand = (text: string) => substitute(text, variables, unresolved);
  const written = canonical({ name, ...pick(value, DECIDING_KEYS) });
  let server: McpServerConfig | string;
  if (typeof value.command === 'string' && value.command.trim() !== '') {
    if (type !== undefined && type !== 'stdio') return `"command" is for stdio servers, but "type" is "${type}".`;
    const args = stringList(value.args);
    const env = stringRecord(value.env);
    if (args === undefined) return '"args" must be a list of strings.';
    if (env === undefined) return '"env" must be an object of strings.';
    const cwd = typeof value.cwd === 'string' ? expand(value.cwd) : undefined;
    server = {
      kind: 'stdio',
      name,
      origin,
      disabled,
      written,
      shown: showCommand(value.command.trim(), args, Object.keys(env), value.cwd),
      command: expand(value.command.trim()),
      args: args.map(expand),
      env: Object.fromEntries(Object.entries(env).map(([key, text]) => [key, expand(text)])),
      ...(cwd ? { cwd } : {}),
    };
  } else {
    const rawUrl = typeof value.url === 'string' ? value.url : typeof value.httpUrl === 'string' ? value.httpUrl : '';
    if (!rawUrl) return 'it needs a "command" (stdio) or a "url" (HTTP).';
    const url = expand(rawUrl);
    if (!/^https?:\/\//i.test(url)) return `"url" must start with http:// or https:// (got "${url}").`;
    const headers = stringRecord(value.headers);
    if (headers === undefined) return '"headers" must be an object of strings.';
    const kind = type === 'sse' || (type === undefined && /\/sse\/?(\?|$)/i.test(url)) ? 'sse' : 'http';
    if (type !== undefined && !['http', 'streamable-http', 'streamablehttp', 'sse'].includes(type))
      return `unknown "type" "${type}" (stdio, http or sse).`;
    server = {
      kind,
      name,
      origin,
      disabled,
      written,
      shown: `${kind === 'sse' ? 'SSE' : 'HTTP'} ${rawUrl}`,
      url,
      headers: Object.fromEntries(Object.entries(headers).map(([key, text]) => [key, expand(text)])),
    };
  }
  const missing = [...new Set(unresolved)];
  if (missing.length > 0) return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`;
  return server;
}

function substitute(text: string, variables: Variables, unresolved: string[]): string {
  return text.replace(VARIABLE, (whole, scope: string | undefined, key: string) => {
    if (!scope && key === 'workspaceFolder' && variables.workspaceFolder) return variables.workspaceFolder;
    const value = scope === 'secret' ? variables.secret?.(key) : variables.env(key);
    if (value === undefined) {
      unresolved.push(scope === 'secret' ? `the secret ${key}` : `the environment variable ${key}`);
      return whole;
    }
    return value;
  });
}

/**
 * What the user approves for a workspace server: everything that decides what runs or where it
 * connects. Any change to it (Cursor's "MCPoison": an approved config swapped later) asks again.
 */
export function definitionHash(server: McpServerConfig): string {
  return createHash('sha256').update(server.written).digest('hex');
}

/** One line a person can check before approving: the command line or the URL, as written. */
export function describeServer(server: McpServerConfig): string {
  return server.shown;
}

/** The command line as written (variables unresolved), the names of its environment variables and its folder. */
function showCommand(command: string, args: readonly string[], envNames: readonly string[], cwd: unknown): string {
  const line = [command, ...args].map(quoteIfNeeded).join(' ');
  const env = envNames.length > 0 ? ` (env: ${envNames.join(', ')})` : '';
  return `${line}${env}${typeof cwd === 'string' ? ` in ${cwd}` : ''}`;
}

function quoteIfNeeded(word: string): string {
  return /^[\w@%+=:,./${}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

/**
 * JSON with keys in a fixed order, so reformatting a file does not count as a change. Only objects
 * need it: what a valid definition holds in lists are strings, which JSON.stringify writes the same.
 */
function canonical(value: unknown): string {
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return undefined;
  return value;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return {};
  if (!isObject(value) || !Object.values(value).every((item) => typeof item === 'string')) return undefined;
  return value as Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
