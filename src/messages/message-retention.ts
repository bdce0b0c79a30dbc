import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { serviceConfigToken } from '../config/service-config.namespaces.js';
import type { MessagesConfig } from './messages.settings.js';
import { MessageRecordStore } from './store/message-record.store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often old records are looked for. */
export const MESSAGE_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes message records older than `Settings:Messages:RetentionDays`: at start-up, then hourly.
 * Closes the store at shutdown.
 */
@Injectable()
export class MessageRetention
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('MessageRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: MessageRecordStore,
    @Inject(serviceConfigToken('messages'))
    private readonly config: MessagesConfig,
  ) {}

  /** Deletes what is already old, and schedules the next rounds. */
  onApplicationBootstrap(): void {
    void this.deleteOld();
    this.timer = setInterval(
      () => void this.deleteOld(),
      MESSAGE_RETENTION_INTERVAL_MS,
    );
    this.timer.unref();
  }

  /** Deletes the records older than the retention; returns how many. */
  async deleteOld(now = new Date()): Promise<number> {
    const cutOff = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    try {
      const deleted = await this.store.deleteBefore(cutOff);
      if (deleted > 0)
        this.logger.log(
          `Deleted ${deleted} message records older than ${this.config.retentionDays} days.`,
        );
      return deleted;
    } catch (error) {
      this.logger.warn(
        `Old message records not deleted: ${(error as Error).message}`,
      );
      return 0;
    }
  }

  /** Stops the rounds and closes the store. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.store.close();
  }
}
