// `npm start -- --port N`: scripts/dev.ts takes the port (and ip) itself and passes the
// rest to wrangler dev, which would otherwise be given --port twice.
import { describe, expect, it } from 'vitest';
import { devOptions } from '../../scripts/dev.ts';

describe('npm start options', () => {
  it('defaults to 127.0.0.1:8787', () => {
    expect(devOptions([])).toEqual({ port: 8787, ip: '127.0.0.1', rest: [] });
  });
  it('takes --port N, --port=N and --ip, and passes the rest to wrangler dev', () => {
    expect(devOptions(['--port', '9000'])).toEqual({ port: 9000, ip: '127.0.0.1', rest: [] });
    expect(devOptions(['--port=9001', '--ip', '0.0.0.0', '--log-level', 'debug'])).toEqual({
      port: 9001,
      ip: '0.0.0.0',
      rest: ['--log-level', 'debug'],
    });
  });
  it('refuses a port that is not one', () => {
    expect(() => devOptions(['--port', 'abc'])).toThrow(/1\.\.65535/);
    expect(() => devOptions(['--port'])).toThrow(/needs a value/);
  });
});
