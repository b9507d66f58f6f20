/** Replaces every occurrence of a secret (an API key) in text that is shown to the user or logged. */
export function redactSecret(text: string, secret: string): string {
  // Very short "keys" (e.g. a placeholder like "x" for local servers) would blank out ordinary text.
  if (secret.length < 8) return text;
  return text.split(secret).join('[API key hidden]');
}
