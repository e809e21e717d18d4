import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  attributeTypes,
  exampleValue,
  inputFromStored,
  matchKindOf,
  valueJsonSchema,
  valueSchema,
  type AttributeRule,
  type AttributeType,
} from '../../src/attributes/attribute-types';

const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
ajv.addKeyword('x-cim-type');

const ruleOf = (type: AttributeType): AttributeRule & { label: string } => ({
  key: `a_${type}`,
  label: `A ${type}`,
  type,
  ...(type === 'enum' ? { options: ['gold', 'silver'] } : {}),
});

function accepts(schema: object, value: unknown): string {
  const validate = ajv.compile(schema);
  return validate(value) ? 'accepted' : ajv.errorsText(validate.errors);
}

describe.each(attributeTypes)('the %s type', (type) => {
  const rule = ruleOf(type);
  const example = exampleValue(rule);
  const parsed = valueSchema(rule, 'US').safeParse(example);

  it('accepts its own example value', () => {
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('documents an input shape that accepts the example and refuses an object', () => {
    const input = valueJsonSchema(rule, 'input');

    expect(input).toMatchObject({ title: rule.label, 'x-cim-type': type });
    expect(accepts(input, example)).toBe('accepted');
    expect(accepts(input, { value: example })).not.toBe('accepted');
  });

  it('documents an output shape that holds the stored example as JSON sends it', () => {
    const output = valueJsonSchema(rule, 'output');
    const sent = JSON.parse(JSON.stringify(parsed.data));

    expect(accepts(output, sent)).toBe('accepted');
    expect(accepts(output, { value: sent })).not.toBe('accepted');
  });

  it('keeps its stored example when the definition changes without changing the type', () => {
    const again = valueSchema(rule, 'US').safeParse(inputFromStored(parsed.data, type));

    expect(again.data).toEqual(parsed.data);
  });
});

describe('an unknown attribute type', () => {
  const unknown = { key: 'price', label: 'Price', type: 'currency' as AttributeType };

  it('is not among the attribute types', () => {
    expect(attributeTypes).not.toContain('currency');
  });

  it.each([
    ['valueSchema', () => valueSchema(unknown, 'US')],
    ['valueJsonSchema', () => valueJsonSchema(unknown, 'input')],
    ['exampleValue', () => exampleValue(unknown)],
    ['matchKindOf', () => matchKindOf(unknown.type)],
    ['inputFromStored', () => inputFromStored('x', unknown.type)],
  ])('is refused by %s, which names it', (_name, use) => {
    expect(use).toThrow('Unknown attribute type "currency"');
  });

  it('is not mistaken for an inherited property name', () => {
    expect(() => matchKindOf('constructor' as AttributeType)).toThrow('Unknown attribute type "constructor"');
  });
});
