import type { z } from 'zod';
import type { AttributeTypeSpec, AttributeValue, MatchKind } from './attribute-type-spec';
import { enumType } from './enum-type';
import { phoneType } from './phone-type';
import { booleanType, dateType, numberType } from './scalar-types';
import { emailType, stringType, textType, urlType } from './text-types';

/** Every attribute type, by the name definitions store: a new type is one entry here. */
const attributeTypeSpecs = {
  string: stringType,
  text: textType,
  number: numberType,
  boolean: booleanType,
  date: dateType,
  email: emailType,
  phone: phoneType,
  url: urlType,
  enum: enumType,
} satisfies Record<string, AttributeTypeSpec>;

export type AttributeType = keyof typeof attributeTypeSpecs;

export const attributeTypes = Object.keys(attributeTypeSpecs) as [AttributeType, ...AttributeType[]];

/** What the value rules need to know about an attribute definition. */
export interface AttributeRule {
  key: string;
  type: AttributeType;
  options?: string[];
}

/** The spec of a type; a type no spec names (a value that bypassed validation) is a bug, not a client error. */
export function specOf(type: AttributeType): AttributeTypeSpec {
  if (!Object.hasOwn(attributeTypeSpecs, type)) throw new TypeError(`Unknown attribute type ${JSON.stringify(type)}`);
  return attributeTypeSpecs[type];
}

/** The validator of one attribute: accepts what clients send, yields the stored (normalised) value. */
export function valueSchema(rule: AttributeRule, phoneRegion: string): z.ZodType<AttributeValue> {
  return specOf(rule.type).valueSchema(rule, phoneRegion);
}

export function matchKindOf(type: AttributeType): MatchKind {
  return specOf(type).matchKind;
}

export function exampleValue(rule: AttributeRule): AttributeValue {
  return specOf(rule.type).exampleValue(rule);
}

/** A stored value (of this or another type) as a client would send it, so the type's validator can judge it. */
export function inputFromStored(stored: unknown, type: AttributeType): unknown {
  return specOf(type).inputFromStored(stored);
}
