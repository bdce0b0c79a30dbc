import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SmsMessagesOptions } from '@app/sms';
import type { StoreConfig } from '../../config/service-config.interface.js';
import {
  resolveEncryptionKeyRing,
  type StoreSecurityConfig,
} from '../../encryption/encryption-key.provider.js';
import { deriveMessageKey } from '../message-key.js';
import { MessageRetention } from '../message-retention.js';
import type { MessagesConfig } from '../messages.settings.js';
import { createMessageRecordStore } from './message-record-store.factory.js';
import { MessageRecordStore } from './message-record.store.js';

/** Injection token of the library's `messages` option, as the configuration makes it. */
export const SMS_MESSAGES_OPTIONS = Symbol('SMS_MESSAGES_OPTIONS');

/**
 * The message record store beside the environment settings (`Settings:Store:Url`), its retention,
 * and the library's `messages` option: the store, a key derived from the encryption key, and
 * `Settings:DeliveryReports:PublicUrl`.
 */
@Module({
  providers: [
    {
      provide: MessageRecordStore,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        createMessageRecordStore(config.getOrThrow<StoreConfig>('store').url),
    },
    {
      provide: SMS_MESSAGES_OPTIONS,
      inject: [ConfigService, MessageRecordStore],
      useFactory: (
        config: ConfigService,
        source: MessageRecordStore,
      ): SmsMessagesOptions => {
        const keyRing = resolveEncryptionKeyRing(
          config.getOrThrow<StoreConfig>('store'),
          config.get<StoreSecurityConfig>('security') ?? {},
        );
        return {
          source,
          key: deriveMessageKey(keyRing.current.key),
          publicUrl: config.get<MessagesConfig>('messages')?.publicUrl,
        };
      },
    },
    MessageRetention,
  ],
  exports: [SMS_MESSAGES_OPTIONS, MessageRecordStore],
})
export class MessageRecordStoreModule {}
