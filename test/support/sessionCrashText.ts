/** The text of the k-th message of every session the crash harness writes (200 to 6,200 characters). */
export const expectedContent = (k: number) => `${k}:${'x'.repeat(200 + ((k * 7919) % 6000))}`;
