/** A run of message text, marked when it looks like a one-time code. */
export interface MessageTextPart {
  text: string;
  code: boolean;
}

// 4–8 digits, or 6–8 upper-case letters and digits with at least one of each (so that a shouted
// word such as URGENT is not taken for a code); never part of a longer word or number.
const ONE_TIME_CODE =
  /(?<![\p{L}\p{N}])(?:\d{4,8}|(?=[A-Z\d]*\d)(?=[A-Z\d]*[A-Z])[A-Z\d]{6,8})(?![\p{L}\p{N}])/gu;

/** Cuts a message text into plain runs and runs that look like one-time codes. */
export function splitOneTimeCodes(text: string): MessageTextPart[] {
  const parts: MessageTextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(ONE_TIME_CODE)) {
    if (match.index > last)
      parts.push({ text: text.slice(last, match.index), code: false });
    parts.push({ text: match[0], code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), code: false });
  return parts;
}

/** The distinct one-time codes in a message text, in order of appearance. */
export function findOneTimeCodes(text: string): string[] {
  return [...new Set(text.match(ONE_TIME_CODE) ?? [])];
}
