/**
 * Long loops on the extension host give the event loop a turn every few milliseconds, so
 * typing, the UI and other extensions never wait behind a walk over 100,000 paths.
 */

/** A function to await inside a loop: it yields to the event loop once `sliceMs` have passed since the last yield. */
export function breather(sliceMs = 12): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart <= sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
}
