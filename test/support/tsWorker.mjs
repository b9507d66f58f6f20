// Runs a TypeScript worker entry in tests: registers tsx in the worker thread (execArgv's `--import tsx`
// does not reach a worker's entry on Node 20), then loads the entry named in QCODER_TS_WORKER.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';

register();
await import(pathToFileURL(process.env.QCODER_TS_WORKER ?? '').href);
