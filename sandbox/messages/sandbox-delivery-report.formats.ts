import type { SandboxDeliveryReportRequest } from './sandbox-message.interface.js';

/** Destination numbers ending in these digits get a `failed` delivery report. */
export const SANDBOX_UNDELIVERABLE_SUFFIX = '0404';

/** Gateway API's code of an undeliverable message, as the sandbox reports it. */
export const SANDBOX_GATEWAY_API_UNDELIVERABLE_CODE = '0x1013';

function delivers(e164: string): boolean {
  return !e164.endsWith(SANDBOX_UNDELIVERABLE_SUFFIX);
}

/**
 * The report Gateway API posts to a message's `callback_url`: `DELIVERED`, or for a number ending
 * in 0404 `UNDELIVERABLE` with code `0x1013`.
 */
export function gatewayApiDeliveryReport(options: {
  url: string;
  id: string;
  e164: string;
  userref: string | undefined;
  now?: Date;
}): SandboxDeliveryReportRequest {
  const delivered = delivers(options.e164);
  return {
    url: options.url,
    status: delivered ? 'delivered' : 'failed',
    body: {
      id: Number(options.id),
      msisdn: Number(options.e164.slice(1)),
      time: Math.floor((options.now ?? new Date()).getTime() / 1000),
      status: delivered ? 'DELIVERED' : 'UNDELIVERABLE',
      ...(delivered
        ? {}
        : {
            error: 'Undeliverable',
            code: SANDBOX_GATEWAY_API_UNDELIVERABLE_CODE,
          }),
      ...(options.userref === undefined ? {} : { userref: options.userref }),
    },
  };
}

/**
 * The report Telia posts to a message's `receiptRequest.notifyURL`: `DeliveredToTerminal`, or for a
 * number ending in 0404 `DeliveryImpossible`.
 */
export function teliaDeliveryReport(options: {
  url: string;
  e164: string;
  callbackData: string | undefined;
}): SandboxDeliveryReportRequest {
  const delivered = delivers(options.e164);
  return {
    url: options.url,
    status: delivered ? 'delivered' : 'failed',
    body: {
      deliveryInfoNotification: {
        ...(options.callbackData === undefined
          ? {}
          : { callbackData: options.callbackData }),
        deliveryInfo: {
          address: `tel:${options.e164}`,
          deliveryStatus: delivered
            ? 'DeliveredToTerminal'
            : 'DeliveryImpossible',
        },
      },
    },
  };
}
