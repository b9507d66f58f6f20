/**
 * `qcoder` on the command line: the same core the extension runs, for scripts,
 * CI and benchmarks. Each subcommand lives in its own module.
 */

interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  context: async () => (await import('./context')).command,
  apply: async () => (await import('./apply')).command,
};

function usage(): string {
  return [
    'usage: qcoder <command> [options]',
    '',
    '  context   rank and pack workspace context for a query   (qcoder context --help)',
    '  apply     apply proposed edits to a file                 (qcoder apply --help)',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`qcoder: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  return (await load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`qcoder: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
