import type { Lease } from '../db/lock-lease';
import type { AttributeDefinition } from './attribute.model';
import type { Definitions } from './definitions';

/** An attribute's rule for stored values: what a definition is, or would become. */
export type ValueRule = Pick<AttributeDefinition, 'key' | 'type' | 'options' | 'required' | 'unique'>;

export interface Violations {
  count: number;
  /** A few of the violating contacts, to show the admin where to look. */
  contactIds: string[];
  /**
   * Of an enum rule: stored values that are not among its options (a few dozen at most). Personal data: show an
   * admin only what they already know, such as the options they remove.
   */
  valuesOutsideOptions: string[];
}

/**
 * What a definition change needs done to the values stored in contacts. The contacts feature provides it; the
 * schema feature only knows this interface, so dependencies point from contacts to schema.
 */
export interface ValueMigrations {
  countContacts(): Promise<number>;
  /** The contacts a rule would refuse: a value it cannot take, a missing required one, a duplicate unique one. */
  findViolations(rule: ValueRule): Promise<Violations>;
  /** Converts the attribute on every contact holding it to its new rule, or removes it, and reindexes them. */
  rewriteAttribute(key: string, definitions: Definitions, lease?: Lease): Promise<void>;
  /** Brings the unique claims of the attribute in line with the stored contacts after a change at `changedAt`. */
  rebuildUniqueClaims(key: string, definitions: Definitions, changedAt: Date, lease?: Lease): Promise<void>;
}
