/** Text that arrives in pieces, and a way to wait until it matches. */
export interface TextWaiter {
  /** Adds a piece and wakes the waits it satisfies. */
  append: (piece: string) => void;
  /** Everything so far. */
  text: () => string;
  /** Resolves with everything so far once it matches the pattern. */
  until: (pattern: RegExp) => Promise<string>;
}

/** Collects streamed text (an event stream, a raw socket) for tests that wait on what it says. */
export function createTextWaiter(): TextWaiter {
  let text = '';
  const waiting = new Set<() => void>();
  return {
    append: (piece) => {
      text += piece;
      for (const check of waiting) check();
    },
    text: () => text,
    until: (pattern) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!pattern.test(text)) return;
          waiting.delete(check);
          resolve(text);
        };
        waiting.add(check);
        check();
      }),
  };
}
