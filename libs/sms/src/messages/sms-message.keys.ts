import {
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** The length of a delivery report token: 22 base64url characters, 132 bits. */
export const DELIVERY_REPORT_TOKEN_LENGTH = 22;

const PHONE_LABEL = 'nest-sms/message-phone-hash/v1';
const TOKEN_LABEL = 'nest-sms/delivery-report-token/v1';

/**
 * The keys of message records, derived with HKDF-SHA256 from the module's message key, one per
 * purpose: the HMAC that stands for a phone number in lookups, and the capability token of a
 * message's delivery report URL.
 */
export class SmsMessageKeys {
  private readonly phoneKey: Buffer;
  private readonly tokenKey: Buffer;

  /** @param key at least 32 bytes; a random one (good for one process) when left out */
  constructor(key: Uint8Array = randomBytes(32)) {
    this.phoneKey = derive(key, PHONE_LABEL);
    this.tokenKey = derive(key, TOKEN_LABEL);
  }

  /** The HMAC of an E.164 number, as hex: equal numbers give equal hashes under one key. */
  phoneHash(e164: string): string {
    return createHmac('sha256', this.phoneKey).update(e164).digest('hex');
  }

  /** The first 22 characters of base64url(HMAC-SHA256(token key, id)). */
  token(id: string): string {
    return createHmac('sha256', this.tokenKey)
      .update(id)
      .digest('base64url')
      .slice(0, DELIVERY_REPORT_TOKEN_LENGTH);
  }

  /** True when `token` is the id's token; compared in constant time. */
  tokenMatches(id: string, token: string): boolean {
    const expected = Buffer.from(this.token(id));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function derive(key: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), label, 32));
}
