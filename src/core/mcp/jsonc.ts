/**
 * The one reader of MCP definition files: VS Code's mcp.json and Qwen Code's settings allow
 * comments and trailing commas, so they are read as JSONC (VS Code's own parser).
 */
import { parse, type ParseError, printParseErrorCode } from 'jsonc-parser';

/** The parsed value, or an Error a person can act on. */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0)
    return new Error(`not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset})`);
  return value as unknown;
}
