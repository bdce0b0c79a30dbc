/**
 * The environment settings store lives in `src/environments/store/`. This path is kept because
 * `test/contracts/environment-settings.store.contract.ts` imports it; remove it once that import
 * points at the new place.
 */
export * from '../environments/store/environment-settings.store.js';
