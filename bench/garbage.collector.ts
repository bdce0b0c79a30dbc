import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The flag must be set before the first context is made in which `gc` is looked up.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs full garbage collections, so that a heap measurement sees live objects only. Works without
 * `node --expose-gc`.
 */
export function collectGarbage(): void {
  // A second pass frees what the first one's finalizers released (e.g. weakly held entries).
  gc();
  gc();
}
