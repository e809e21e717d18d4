import type { AttributeDefinition } from '../../src/attributes/attribute.model';
import { planDefinitionChange } from '../../src/attributes/definition-change';

const at = new Date('2024-05-01T00:00:00Z');
const segment: AttributeDefinition = {
  _id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  key: 'segment',
  label: 'Segment',
  type: 'enum',
  options: ['Retail', 'Gold'],
  required: false,
  unique: false,
  system: false,
  createdAt: at,
  updatedAt: at,
};

describe('planDefinitionChange', () => {
  it('relabelling checks, rewrites and rebuilds nothing', () => {
    expect(planDefinitionChange(segment, { label: 'Tier' })).toMatchObject({
      next: { ...segment, label: 'Tier' },
      changed: ['label'],
      checkContacts: false,
      rewriteValues: false,
      rebuildClaims: false,
    });
  });

  it('adding an option checks nothing; removing one checks the contacts', () => {
    expect(planDefinitionChange(segment, { options: ['Retail', 'Gold', 'Silver'] }).checkContacts).toBe(false);
    expect(planDefinitionChange(segment, { options: ['Retail'] })).toMatchObject({
      changed: ['options'],
      checkContacts: true,
      rewriteValues: false,
    });
  });

  it('a new type checks, rewrites and rebuilds claims, and drops the options', () => {
    const change = planDefinitionChange(segment, { type: 'string', options: null });
    expect(change).toMatchObject({ checkContacts: true, rewriteValues: true, rebuildClaims: true });
    expect(change.next.options).toBeUndefined();
    expect(change.changed.sort()).toEqual(['options', 'type']);
  });

  it('turning unique on checks contacts and rebuilds claims; turning it off only rebuilds', () => {
    expect(planDefinitionChange(segment, { unique: true })).toMatchObject({ checkContacts: true, rebuildClaims: true });
    const unique = { ...segment, unique: true };
    expect(planDefinitionChange(unique, { unique: false })).toMatchObject({
      checkContacts: false,
      rebuildClaims: true,
    });
  });

  it('sending what is stored changes nothing', () => {
    const { key, label, type, options, required, unique } = segment;
    expect(planDefinitionChange(segment, { key, label, type, options, required, unique }).changed).toEqual([]);
  });

  it('refuses another key, a system attribute’s new type, options off an enum and an enum without options', () => {
    expect(() => planDefinitionChange(segment, { key: 'tier' })).toThrow('The key of an attribute cannot change.');
    const system = { ...segment, type: 'string' as const, options: undefined, system: true };
    expect(() => planDefinitionChange(system, { type: 'phone' })).toThrow(/system attribute segment/);
    expect(() => planDefinitionChange(segment, { type: 'string', options: ['A'] })).toThrow(
      'Only enum attributes have options.',
    );
    expect(() => planDefinitionChange(segment, { options: null })).toThrow('An enum attribute needs options.');
  });
});
