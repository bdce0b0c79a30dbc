import { parseStoreUrl } from '../../database/store-url.js';
import type { MessageRecordStore } from './message-record.store.js';
import { PostgresMessageRecordStore } from './postgres-message-record.store.js';
import { SqliteMessageRecordStore } from './sqlite-message-record.store.js';

/**
 * Opens the message record store in the database that `Settings:Store:Url` names, beside the
 * environment settings, with its schema up to date.
 */
export async function createMessageRecordStore(
  url: string,
): Promise<MessageRecordStore> {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return new SqliteMessageRecordStore({ path: location.path });
    case 'postgres':
      return PostgresMessageRecordStore.open({
        connectionString: location.connectionString,
      });
  }
}
