/**
 * The store errors live in `src/database/`. This path is kept because
 * `test/contracts/environment-settings.store.contract.ts` imports it; remove it once that import
 * points at the new place.
 */
export * from '../database/store.errors.js';
