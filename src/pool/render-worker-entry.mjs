// Entry of every render worker thread: registers tsx, then loads the TypeScript worker.
//
// Why a shim and not `execArgv: ['--import', 'tsx']`: on Node 20 a worker started with `--import tsx` still cannot
// load a `.ts` entry (ERR_UNKNOWN_FILE_EXTENSION: the preload's hooks do not apply to the worker's own entry), and
// under vitest's forks pool the parent's execArgv does not carry tsx at all. Registering tsx here works the same
// from `node --import tsx`, from vitest, and from the compiled CLI.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./render-worker.ts');

export default worker.default;
