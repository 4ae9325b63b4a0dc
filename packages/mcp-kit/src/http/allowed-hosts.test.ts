import { describe, expect, it } from 'vitest';
import { defaultAllowedHosts } from './allowed-hosts.ts';

describe('defaultAllowedHosts', () => {
  it('is the localhost set for loopback and wildcard binds, plus a specific bound name', () => {
    expect(defaultAllowedHosts('127.0.0.1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(defaultAllowedHosts('0.0.0.0')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(defaultAllowedHosts('::')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(defaultAllowedHosts('10.1.2.3')).toEqual(['localhost', '127.0.0.1', '[::1]', '10.1.2.3']);
    expect(defaultAllowedHosts('fd00::1')).toContain('[fd00::1]');
  });
});
