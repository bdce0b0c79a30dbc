/** One numbered change of the store's database schema. Applied once, in order, in a transaction. */
export interface StoreMigration {
  /** Position in the sequence; never reused or renumbered once released. */
  version: number;
  /** What the migration does, for people reading `schema_migrations`. */
  name: string;
  /** The SQL statements. */
  up: string;
}
