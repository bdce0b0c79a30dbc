import type { SandboxMessage } from './sandbox-message.interface.js';
import {
  matchesFilter,
  type SandboxMessageFilter,
} from './sandbox-message.filter.js';

/** A change to the inbox; `sequence` orders every change, so a reconnecting reader can catch up. */
export type SandboxStoreEvent =
  | { type: 'added'; sequence: number; message: SandboxMessage }
  | { type: 'cleared'; sequence: number };

/** The recorded messages, in memory, the oldest dropped beyond the capacity. */
export class SandboxMessageStore {
  private entries: { sequence: number; message: SandboxMessage }[] = [];
  private sequence = 0;
  private clearedAt = 0;
  private readonly listeners = new Set<(event: SandboxStoreEvent) => void>();

  /** @param capacity How many messages are kept. @default 1000 */
  constructor(private readonly capacity = 1000) {}

  /** The sequence of the latest change (0 before any). */
  get lastSequence(): number {
    return this.sequence;
  }

  /** Records a message and tells the listeners. */
  add(message: SandboxMessage): void {
    const entry = { sequence: ++this.sequence, message };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    this.emit({ type: 'added', ...entry });
  }

  /**
   * Changes a recorded message in place and tells the listeners, as an `added` event of the same
   * id (a reader replaces the message it has); false when the message is no longer kept.
   */
  update(
    id: string,
    change: (message: SandboxMessage) => SandboxMessage,
  ): boolean {
    const entry = this.entries.find((candidate) => candidate.message.id === id);
    if (!entry) return false;
    entry.message = change(entry.message);
    entry.sequence = ++this.sequence;
    this.emit({ type: 'added', ...entry });
    return true;
  }

  /** Forgets every message and tells the listeners. */
  clear(): void {
    this.entries = [];
    this.clearedAt = ++this.sequence;
    this.emit({ type: 'cleared', sequence: this.clearedAt });
  }

  /** The messages that pass the filter, newest first. */
  list(filter: SandboxMessageFilter = {}): SandboxMessage[] {
    return this.entries
      .filter((entry) => matchesFilter(entry.message, filter))
      .map((entry) => entry.message)
      .reverse();
  }

  /** The changes after `sequence`, oldest first: a clear first if one happened since. */
  eventsAfter(sequence: number): SandboxStoreEvent[] {
    const events: SandboxStoreEvent[] =
      this.clearedAt > sequence
        ? [{ type: 'cleared', sequence: this.clearedAt }]
        : [];
    for (const entry of this.entries) {
      if (entry.sequence > sequence) events.push({ type: 'added', ...entry });
    }
    return events;
  }

  /** Calls `listener` on every later change; returns the function that stops it. */
  subscribe(listener: (event: SandboxStoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: SandboxStoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
