/**
 * The file tools the model calls, as plain data (OpenAI function-calling JSON schemas).
 * Descriptions are short on purpose: they are paid for in every request.
 */

export interface ToolSchema {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

const path = { type: 'string', description: 'File path relative to the workspace root.' } as const;

export const editFileSchema: ToolSchema = {
  name: 'edit_file',
  description:
    'Edit a file by replacing text. Each old_text must be copied from the current file and match one place only ' +
    '(add surrounding lines to make it unique); all edits of a call are applied together or not at all. ' +
    'Do not include line numbers. The user reviews every change.',
  parameters: {
    type: 'object',
    properties: {
      path,
      edits: {
        type: 'array',
        minItems: 1,
        description: 'Replacements, each against the file as it is now; they must not overlap.',
        items: {
          type: 'object',
          properties: {
            old_text: { type: 'string', description: 'Exact text to find, with its indentation; a few whole lines.' },
            new_text: { type: 'string', description: 'Text that replaces it, complete (no "..." placeholders).' },
            replace_all: { type: 'boolean', description: 'Replace every occurrence of old_text. Default false.' },
          },
          required: ['old_text', 'new_text'],
          additionalProperties: false,
        },
      },
    },
    required: ['path', 'edits'],
    additionalProperties: false,
  },
};

export const writeFileSchema: ToolSchema = {
  name: 'write_file',
  description:
    'Create a file, or replace all of an existing one, with the given content. Prefer ' +
    'edit_file for changes to existing files.',
  parameters: {
    type: 'object',
    properties: { path, content: { type: 'string', description: 'The complete file content.' } },
    required: ['path', 'content'],
    additionalProperties: false,
  },
};

export const deleteFileSchema: ToolSchema = {
  name: 'delete_file',
  description: 'Delete a file.',
  parameters: { type: 'object', properties: { path }, required: ['path'], additionalProperties: false },
};

export const renameFileSchema: ToolSchema = {
  name: 'rename_file',
  description: 'Rename or move a file within the workspace.',
  parameters: {
    type: 'object',
    properties: {
      from: { ...path, description: 'Current path, relative to the workspace root.' },
      to: { ...path, description: 'New path, relative to the workspace root.' },
    },
    required: ['from', 'to'],
    additionalProperties: false,
  },
};

export const fileToolSchemas: readonly ToolSchema[] = [
  editFileSchema,
  writeFileSchema,
  deleteFileSchema,
  renameFileSchema,
];
