export type { AttributeValue } from './attribute-type-spec';
export {
  attributeTypes,
  exampleValue,
  inputFromStored,
  matchKindOf,
  valueSchema,
  type AttributeRule,
  type AttributeType,
} from './attribute-type-specs';
export { maxSearchableLength, searchTokenOf, uniqueTokenOf } from './search-tokens';
export { valueJsonSchema } from './value-json-schema';
