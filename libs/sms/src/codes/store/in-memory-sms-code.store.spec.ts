import { describe } from 'vitest';
import { InMemorySmsCodeStore } from './in-memory-sms-code.store.js';
import { describeSmsCodeStoreContract } from '../../../../../test/contracts/sms-code.store.contract.js';

describeSmsCodeStoreContract(describe, 'InMemorySmsCodeStore', () => ({
  async createDatabase() {
    // One instance is the whole database: "two instances" of a process-local store are the same one.
    const store = new InMemorySmsCodeStore();
    return {
      open: async () => store,
      dump: async () =>
        JSON.stringify([...store['codes'], ...store['counters']]),
      destroy: () => store.close(),
    };
  },
}));
