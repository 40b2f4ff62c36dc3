import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from './scenarios';

interface Listed {
  readonly id: string;
  readonly name: string;
  readonly backends?: readonly string[];
}

describe('the shared scenario list', () => {
  it('is the list the Node judges run: same ids, names and backends, in the same order', () => {
    const listed = JSON.parse(readFileSync(join(__dirname, '../../judges/scenarios.json'), 'utf8')) as Listed[];
    expect(SCENARIOS.map((s) => ({ id: s.id, name: s.name, ...(s.backends ? { backends: s.backends } : {}) }))).toEqual(
      listed,
    );
  });
});
