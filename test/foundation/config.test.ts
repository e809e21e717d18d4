import { loadConfig } from '../../src/config';

describe('configuration', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      CIM_EMBEDDED_DB: 'auto',
      CIM_BODY_LIMIT: '1mb',
      CIM_DATA_DIR: './data',
    });
  });

  it('names the variable whose value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ CIM_EMBEDDED_DB: 'sqlite' })).toThrow(/CIM_EMBEDDED_DB/);
    expect(() => loadConfig({ MONGODB_URI: 'http://x' })).toThrow(/MONGODB_URI/);
  });
});
