import { BUILT_IN_SMS_PROVIDER_TYPES } from '@app/sms/sms.constants.js';
import { escapeHtml } from './html.escape.js';
import { INBOX_SCRIPT, INBOX_STYLE } from './inbox-page.assets.js';
import { PROVIDER_LABELS, renderMessageCard } from './inbox-message.view.js';
import {
  matchesFilter,
  type SandboxMessageFilter,
} from '../messages/sandbox-message.filter.js';
import type { SandboxMessage } from '../messages/sandbox-message.interface.js';

/** What the inbox page shows. */
export interface InboxPageModel {
  /** Every kept message, newest first; those outside the filter are rendered hidden. */
  messages: SandboxMessage[];
  filter: SandboxMessageFilter;
  /** The store's latest change, from which the live stream continues. */
  lastSequence: number;
  /** The nonce that lets the page's own style and script run under its Content-Security-Policy. */
  nonce: string;
}

/** The inbox page: server-rendered, self-contained (inline style and script, no other request). */
export function renderInboxPage(model: InboxPageModel): string {
  const { messages, filter, nonce } = model;
  const cards = messages.map((message) =>
    renderMessageCard(message, matchesFilter(message, filter)),
  );
  const shown = messages.filter((message) =>
    matchesFilter(message, filter),
  ).length;
  const options = BUILT_IN_SMS_PROVIDER_TYPES.map(
    (type) =>
      `<option value="${type}"${filter.provider === type ? ' selected' : ''}>${PROVIDER_LABELS[type]}</option>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMS sandbox inbox</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${INBOX_STYLE}</style>
</head>
<body>
<main class="page">
<header class="top">
<div>
<h1>SMS sandbox inbox</h1>
<p class="sub">Messages the local sandbox providers received. None of them reached a phone.</p>
</div>
<div class="actions">
<span id="live" class="live" role="status" data-state="connecting">Connecting…</span>
<button id="clear" type="button" class="danger">Clear inbox</button>
</div>
</header>
<form id="filter" class="filter" method="get" action="/inbox" role="search">
<label>Number <input id="filter-phone" name="phone" type="search" inputmode="tel" autocomplete="off" placeholder="e.g. 4512345678" value="${escapeHtml(filter.phone ?? '')}"></label>
<label>Provider <select id="filter-provider" name="provider"><option value="">All providers</option>${options}</select></label>
<noscript><button type="submit">Filter</button></noscript>
<span id="count" class="count">${shown === messages.length ? '' : `${shown} of `}${messages.length} ${messages.length === 1 ? 'message' : 'messages'}</span>
</form>
<p id="empty" class="empty"${shown > 0 ? ' hidden' : ''}>${messages.length === 0 ? 'No messages yet.' : 'No messages match the filter.'}</p>
<ol id="messages" class="messages" data-after="${model.lastSequence}">
${cards.join('\n')}
</ol>
</main>
<script nonce="${nonce}">${INBOX_SCRIPT}</script>
</body>
</html>
`;
}
