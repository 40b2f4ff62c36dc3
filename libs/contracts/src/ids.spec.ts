import { slug } from './ids';
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
