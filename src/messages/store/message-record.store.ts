import { SmsMessageRecordSource } from '@app/sms';

/**
 * The service's message records: the library's record source, in the database of the environment
 * settings, with deletion of old records and a close.
 */
export abstract class MessageRecordStore extends SmsMessageRecordSource {
  /** Deletes the records created before `cutOff`; returns how many. */
  abstract deleteBefore(cutOff: Date): Promise<number>;

  /** Closes the database connections. */
  abstract close(): Promise<void>;
}
