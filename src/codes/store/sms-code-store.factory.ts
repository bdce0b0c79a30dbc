import type { SmsCodeStore } from '@app/sms/codes/index.js';
import { parseStoreUrl } from '../../database/store-url.js';
import { PostgresSmsCodeStore } from './postgres-sms-code.store.js';
import { SqliteSmsCodeStore } from './sqlite-sms-code.store.js';

/**
 * Opens the code store in the database that `Settings:Store:Url` names, beside the environment
 * settings, with its schema up to date: SQLite for one host, PostgreSQL for limits shared by every
 * instance.
 */
export async function createSmsCodeStore(url: string): Promise<SmsCodeStore> {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteSmsCodeStore({ path: location.path });
    case 'postgres':
      return PostgresSmsCodeStore.open({
        connectionString: location.connectionString,
      });
  }
}
