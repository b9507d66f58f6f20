/** The reply the crash writer's model server streams for a question; the driver expects the same bytes on disk. */
export function crashAnswer(question: string): string {
  const line = `Stored answer to ${question}.\n`;
  return line.repeat(120);
}
