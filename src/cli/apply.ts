/** `qcoder apply` — placeholder until its issue lands; exits non-zero so nothing mistakes it for working. */
export const command = {
  summary: 'apply (not built yet)',
  async run(_args: string[]): Promise<number> {
    process.stderr.write('qcoder apply: not implemented yet\n');
    return 1;
  },
};
