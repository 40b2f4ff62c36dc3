import { slug, trimmedText } from './ids';
import { regionCode } from './regions';

describe('ids and regions as every service takes them', () => {
  it.each(['m', 'm1', 'wilaya', 'souss-massa-2020-2022', 'a'.repeat(64), '2022-awrach'])('accepts the id %s', (id) => {
    expect(slug.safeParse(id).success).toBe(true);
  });

  it.each(['', '-awrach', 'Awrach', 'awrach 2022', 'awrach_2022', 'a'.repeat(65), 'é'])('refuses the id %j', (id) => {
    const result = slug.safeParse(id);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be 1–64 characters: lower-case letters, digits and dashes');
  });

  it('takes the twelve region codes and nothing else', () => {
    expect(regionCode.safeParse('MA-12').success).toBe(true);
    expect(regionCode.safeParse('MA-13').success).toBe(false);
    expect(regionCode.safeParse('ma-09').success).toBe(false);
  });
});

describe('free text as every service takes it', () => {
  const reference = trimmedText(128);

  it('refuses a text over its limit as sent, even when trimming would bring it under', () => {
    expect(reference.safeParse(`\u000b\u00a0${'a'.repeat(127)}`).success).toBe(false);
    expect(reference.safeParse('a'.repeat(129)).success).toBe(false);
  });

  it('takes a text at its limit, trims a shorter one, and refuses one that trims to less than its minimum', () => {
    expect(reference.parse('a'.repeat(128))).toHaveLength(128);
    expect(reference.parse('  CR-GON-2022-001 ')).toBe('CR-GON-2022-001');
    expect(reference.safeParse('   ').error?.issues[0]?.message).toBe('must not be empty');
    expect(trimmedText(300, 3).safeParse(' ab ').error?.issues[0]?.message).toBe('must be at least 3 characters');
    expect(trimmedText(500, 0).parse('  ')).toBe('');
  });
});
