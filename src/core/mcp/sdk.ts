/**
 * The parts of the MCP SDK QCoder uses, in one module that is imported only when a server first
 * starts: the SDK builds its zod schemas when loaded, which would otherwise cost every activation.
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
export { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
export { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
export { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
