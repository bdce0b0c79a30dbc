/**
 * A value worked out once per key object and kept while the key lives: settings objects are
 * replaced, never changed, so what is derived from one (a compiled URL, a redactor, a fingerprint)
 * stays right for as long as it is in use, and goes with it.
 */
export class WeakMemo<K extends object, V> {
  private readonly values = new WeakMap<K, V>();

  constructor(private readonly compute: (key: K) => V) {}

  /** The value for `key`, computed on first use. */
  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.compute(key);
      this.values.set(key, value);
    }
    return value;
  }
}
