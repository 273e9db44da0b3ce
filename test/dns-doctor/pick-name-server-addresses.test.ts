import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/dns-doctor/is-private-address.js';
import { pickNameServerAddresses } from '../../src/dns-doctor/pick-name-server-addresses.js';

describe('isPrivateAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['0.0.0.0', true],
    ['100.64.0.1', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['not-an-ip', true],
    ['198.51.100.7', false],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('pickNameServerAddresses', () => {
  it.each<[string, string[][], boolean, ReturnType<typeof pickNameServerAddresses>]>([
    [
      'one address from each of at most two servers',
      [['198.51.100.1', '2001:db8::1'], ['198.51.100.2'], ['198.51.100.3']],
      false,
      { kind: 'chosen', addresses: ['198.51.100.1', '198.51.100.2'] },
    ],
    ['an IPv6-only server', [['2001:db8::1'], []], false, { kind: 'chosen', addresses: ['2001:db8::1'] }],
    [
      'private addresses skipped for public ones',
      [['10.0.0.1'], ['fe80::1', '198.51.100.2']],
      false,
      { kind: 'chosen', addresses: ['198.51.100.2'] },
    ],
    ['only private addresses', [['127.0.0.1'], ['192.168.0.1', '::1']], false, { kind: 'private_addresses' }],
    [
      'private addresses when allowed',
      [['127.0.0.1'], ['127.0.0.1'], ['10.0.0.1']],
      true,
      { kind: 'chosen', addresses: ['127.0.0.1', '10.0.0.1'] },
    ],
    ['no addresses', [[], []], false, { kind: 'no_addresses' }],
  ])('%s', (_, nameServers, allowPrivate, expected) => {
    expect(pickNameServerAddresses(nameServers, allowPrivate)).toEqual(expected);
  });
});
