import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CROSS_PARTIES } from './cross-scenarios';
import { SCENARIOS } from './scenarios';

interface Listed {
  readonly id: string;
  readonly name: string;
  readonly backends?: readonly string[];
  readonly writer?: string;
  readonly readers?: readonly string[];
}

const listed = JSON.parse(readFileSync(join(__dirname, '../../judges/scenarios.json'), 'utf8')) as Listed[];

describe('the shared scenario list', () => {
  it('is the list the Node judges run: same ids, names and backends, in the same order', () => {
    expect(SCENARIOS.map((s) => ({ id: s.id, name: s.name, ...(s.backends ? { backends: s.backends } : {}) }))).toEqual(
      listed.filter((s) => s.writer === undefined),
    );
  });

  it('has each client write once in the cross-client scenarios, read by every other client', () => {
    const cross = listed.filter((s) => s.writer !== undefined);
    expect(cross.map((s) => s.writer).sort()).toEqual([...CROSS_PARTIES].sort());
    for (const s of cross) {
      expect([...(s.readers ?? [])].sort()).toEqual(CROSS_PARTIES.filter((p) => p !== s.writer).sort());
    }
  });
});
