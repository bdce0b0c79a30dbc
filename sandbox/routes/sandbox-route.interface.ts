import type { ServerResponse } from 'node:http';
import type { SandboxCredentials } from './sandbox-credentials.js';
import type { SandboxMessageDraft } from '../messages/sandbox-message.interface.js';
import type {
  SandboxReply,
  SandboxRequest,
} from '../server/sandbox-request.interface.js';

/** One endpoint of the sandbox. */
export interface SandboxRoute {
  /** The methods it answers; others get 405. */
  methods: readonly string[];
  /**
   * True for a provider endpoint, which also answers under `/env/<name>/` and records the name as
   * the message's environment; other paths with that prefix get 404.
   */
  takesEnvironment?: boolean;
  /** True when the path is this endpoint's. */
  matches(pathname: string): boolean;
  /** The reply, or undefined when the route wrote the response itself (a stream). */
  handle(
    request: SandboxRequest,
    response: ServerResponse,
  ): SandboxReply | undefined;
}

/** What provider endpoints share. */
export interface SandboxRouteContext {
  credentials: SandboxCredentials;
  /** A fresh numeric message id, unique in this sandbox. */
  nextNumericId(): string;
  /** Records an accepted message in the inbox, and posts its delivery report when it has one. */
  record(draft: SandboxMessageDraft, request: SandboxRequest): void;
}
