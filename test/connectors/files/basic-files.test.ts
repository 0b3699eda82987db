import { describe, expect, it } from 'vitest';
import { NameFilter, resolveDirectory } from '../../../electron/connectors/files/basic-files.js';

describe('exclusion globs', () => {
  const filter = new NameFilter(['*.tmp', '.git', 'archive/**', 'logs/202?-*', '**/cache']);
  const cases: [string, string, boolean][] = [
    ['a.tmp', 'deep/a.tmp', true],
    ['a.tmp.csv', 'a.tmp.csv', false],
    ['.git', 'sub/.git', true],
    ['.github', '.github', false],
    ['2020', 'archive/2020', true],
    ['archive', 'archive', false],
    ['archive', 'sub/archive', false],
    ['2024-01.log', 'logs/2024-01.log', true],
    ['2024-01.log', 'logs/old/2024-01.log', false],
    ['cache', 'a/b/cache', true],
    ['cache', 'cache', true],
  ];
  it.each(cases)('%s at %s excluded: %s', (name, path, excluded) => {
    expect(filter.excludes(name, path)).toBe(excluded);
  });
  it('treats regular expression characters literally', () => {
    const literal = new NameFilter(['data(1).csv', 'a+b']);
    expect(literal.excludes('data(1).csv', 'data(1).csv')).toBe(true);
    expect(literal.excludes('data1.csv', 'data1.csv')).toBe(false);
    expect(literal.excludes('aab', 'aab')).toBe(false);
  });
});

describe('endpoint directory', () => {
  it('resolves relative paths against the base directory and strips file: URLs and trailing separators', () => {
    expect(resolveDirectory('landing', '/etc/daemon')).toBe('/etc/daemon/landing');
    expect(resolveDirectory('file:///data/landing/', '/x')).toBe('/data/landing');
    expect(resolveDirectory('/data/landing/', '/x')).toBe('/data/landing');
    expect(resolveDirectory('/', '/x')).toBe('/');
  });
});
