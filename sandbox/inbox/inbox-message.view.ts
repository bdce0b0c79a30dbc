import type { BuiltInSmsProviderType } from '@app/sms/sms.constants.js';
import { escapeHtml } from './html.escape.js';
import {
  findOneTimeCodes,
  splitOneTimeCodes,
} from '../messages/one-time-code.js';
import type { SandboxMessage } from '../messages/sandbox-message.interface.js';

/** How the inbox names each provider. */
export const PROVIDER_LABELS: Readonly<Record<BuiltInSmsProviderType, string>> =
  {
    AccessUrl: 'Access URL',
    GatewayApi: 'Gateway API',
    Smstools: 'Smstools',
    TeliaSmsGateway: 'Telia SMS Gateway',
  };

/**
 * The HTML of one message in the inbox, every text escaped. The page renders it at load and the
 * live stream sends it for each new message, so both look the same.
 *
 * @param visible False renders it hidden (it does not pass the current filter).
 */
export function renderMessageCard(
  message: SandboxMessage,
  visible = true,
): string {
  const codes = findOneTimeCodes(message.text);
  const text = splitOneTimeCodes(message.text)
    .map((part) =>
      part.code
        ? `<mark class="code">${escapeHtml(part.text)}</mark>`
        : escapeHtml(part.text),
    )
    .join('');
  const copyButtons = codes
    .map(
      (code) =>
        `<button type="button" class="copy" data-code="${escapeHtml(code)}">Copy ${escapeHtml(code)}</button>`,
    )
    .join('');
  return `<li class="message" data-id="${escapeHtml(message.id)}" data-provider="${message.provider}" data-phone="${escapeHtml(message.to.replace(/\D/g, ''))}"${visible ? '' : ' hidden'}>
<div class="meta">
<span class="provider provider-${message.provider}">${PROVIDER_LABELS[message.provider]}</span>
${environmentLabel(message.environment)}<time datetime="${message.receivedAt}" title="${message.receivedAt}">${message.receivedAt.slice(11, 19)} UTC</time>
</div>
<div class="route"><span class="label">To</span> <strong class="to">${escapeHtml(message.to)}</strong> <span class="label">from</span> <strong class="from">${message.from === null ? '–' : escapeHtml(message.from)}</strong></div>
<p class="text">${text}</p>
${codes.length > 0 ? `<div class="codes">${copyButtons}</div>` : ''}
<div class="facts"><span class="encoding">${message.encoding}</span><span class="segments">${message.segments} ${message.segments === 1 ? 'segment' : 'segments'}</span><span class="id">id ${escapeHtml(message.id)}</span>${deliveryLabel(message)}</div>
<details class="raw"><summary>Raw request</summary><pre>${escapeHtml(rawRequestText(message))}</pre></details>
</li>`;
}

/** What the inbox says of a message's delivery report. */
export function deliveryText(message: SandboxMessage): string {
  const report = message.deliveryReport;
  if (!report) return '';
  switch (report.state) {
    case 'waiting':
      return `delivery report: ${report.status}, posting…`;
    case 'posted':
      return `delivery report: ${report.status} (answered ${report.answer})`;
    case 'refused':
      return `delivery report: ${report.status}, refused with ${report.answer}`;
    case 'unreachable':
      return `delivery report: ${report.status}, not delivered: the URL did not answer`;
  }
}

function deliveryLabel(message: SandboxMessage): string {
  const report = message.deliveryReport;
  if (!report) return '';
  return `<span class="delivery delivery-${report.status}" data-state="${report.state}">${escapeHtml(deliveryText(message))}</span>`;
}

// Only a path in front of the endpoint names an environment; a message without one gets no label.
function environmentLabel(environment: string | null): string {
  if (environment === null) return '';
  const title =
    'The environment named in front of the endpoint path: /env/<name>/…';
  return `<span class="environment" title="${escapeHtml(title)}">${escapeHtml(environment)}</span>\n`;
}

// A page of many large bodies would be slow to load; the full body stays in GET /api/messages.
const RAW_BODY_SHOWN = 8 * 1024;

function rawRequestText({ request }: SandboxMessage): string {
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `${name}: ${value}`,
  );
  const body = prettyBody(request.body);
  const shown =
    body.length > RAW_BODY_SHOWN
      ? `${body.slice(0, RAW_BODY_SHOWN)}\n… ${body.length - RAW_BODY_SHOWN} more characters`
      : body;
  return [`${request.method} ${request.path}`, ...headers, '', shown].join(
    '\n',
  );
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
