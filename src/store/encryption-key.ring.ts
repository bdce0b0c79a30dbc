/**
 * The encryption key ring lives in `src/encryption/`. This path is kept because
 * `test/contracts/environment-settings.store.contract.ts` imports it; remove it once that import
 * points at the new place.
 */
export * from '../encryption/encryption-key.ring.js';
