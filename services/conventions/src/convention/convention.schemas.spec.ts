import { draftBody } from './convention.schemas';

describe('a convention draft body', () => {
  const titleOf = (title: string) => draftBody.shape.title.safeParse(title).success;

  it('refuses a title over 300 characters as sent, even when trimming would bring it under', () => {
    expect(titleOf(`  ${'a'.repeat(299)}  `)).toBe(false);
    expect(titleOf('a'.repeat(301))).toBe(false);
  });

  it('accepts a title of 300 characters and trims the spaces of a shorter one', () => {
    expect(titleOf('a'.repeat(300))).toBe(true);
    expect(draftBody.shape.title.parse('  Convention Souss-Massa  ')).toBe('Convention Souss-Massa');
  });
});
