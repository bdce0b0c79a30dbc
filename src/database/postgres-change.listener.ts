import { Logger } from '@nestjs/common';
import pg from 'pg';

/** Options of {@link PostgresChangeListener}. */
export interface PostgresChangeListenerOptions {
  connectionString: string;
  /** The `LISTEN` channel. */
  channel: string;
  /** Called with the payload of each notification. */
  onNotification: (payload: string) => void;
  /**
   * Called when notifications may have been missed: the connection was lost, or was just
   * (re-)established.
   */
  onGap: () => void;
  /**
   * Longest wait between reconnection attempts, in milliseconds; the wait doubles from 100 ms.
   * @default 5000
   */
  maxReconnectDelayMs?: number;
}

/**
 * Holds one dedicated PostgreSQL connection that `LISTEN`s on a channel, and reconnects when it is
 * lost. While it is not listening, {@link listening} is false and callers must not trust what they
 * cached from earlier notifications.
 */
export class PostgresChangeListener {
  private readonly logger = new Logger('PostgresChangeListener');
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 100;
  private closed = false;
  private isListening = false;

  constructor(private readonly options: PostgresChangeListenerOptions) {}

  /** True while the connection is up and `LISTEN` is in effect. */
  get listening(): boolean {
    return this.isListening;
  }

  /** Connects and listens. Rejects when the first attempt fails (a start-up error). */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.isListening = false;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
    });
    client.on('notification', (message) => {
      if (message.channel === this.options.channel) {
        this.options.onNotification(message.payload ?? '');
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    this.client = client;
    await client.connect();
    await client.query(
      `LISTEN ${client.escapeIdentifier(this.options.channel)}`,
    );
    if (this.closed || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.isListening = true;
    this.reconnectDelayMs = 100;
    // Changes made between the previous connection's loss and this LISTEN were not announced.
    this.options.onGap();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.isListening = false;
    this.options.onGap();
    if (this.closed) return;
    this.logger.warn(
      `Lost the connection that listens for settings changes${error ? ` (${error.message})` : ''}; reconnecting. Until then every read checks the database.`,
    );
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(
      delay * 2,
      this.options.maxReconnectDelayMs ?? 5000,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((error: Error) => {
        this.logger.warn(
          `Reconnecting the settings-change listener failed: ${error.message}`,
        );
        const client = this.client;
        this.client = undefined;
        client?.end().catch(() => undefined);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }
}
