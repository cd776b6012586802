import { DiagramBuilder } from '../../src/persistence/diagram';

/** Pushes pairs i = from .. to − 1 as (i, i + 0.5) at cells (i, i + 1). */
function pushRange(b: DiagramBuilder, from: number, to: number): void {
  for (let i = from; i < to; i++) b.push(i, i + 0.5, i, i + 1);
}

const rows = (d: ReturnType<DiagramBuilder['build']>) =>
  Array.from(d.births, (b, i) => [b, d.deaths[i], d.birthCells[i], d.deathCells[i]]);

describe('DiagramBuilder', () => {
  test('a diagram stays as built through later pushes, resets and builds, handed over or copied', () => {
    const b = new DiagramBuilder(1, 4);
    const built: [ReturnType<DiagramBuilder['build']>, number[][]][] = [];
    // Counts that fill the arrays (handed over), leave most unused (copied), and grow them.
    for (const count of [4, 1, 3, 20, 0, 9, 9]) {
      b.reset();
      pushRange(b, 100 * built.length, 100 * built.length + count);
      const d = b.build();
      const expected = Array.from({ length: count }, (_, k) => {
        const i = 100 * built.length + k;
        return [i, i + 0.5, i, i + 1];
      });
      expect(d.dim).toBe(1);
      expect(rows(d)).toEqual(expected);
      built.push([d, expected]);
    }
    for (const [d, expected] of built) expect(rows(d)).toEqual(expected);
  });

  test('handed-over arrays carry at most a quarter unused; copies are exact', () => {
    const b = new DiagramBuilder(0, 8);
    pushRange(b, 0, 6); // 6 of 8: handed over
    const d = b.build();
    expect(d.births.buffer.byteLength).toBe(8 * 8);
    expect(d.births).toHaveLength(6);
    pushRange(b, 0, 5); // the next arrays: an eighth larger than 6, at least 64
    const small = b.build(); // 5 of 64: copied
    expect(small.births.buffer.byteLength).toBe(5 * 8);
    expect(rows(small)).toEqual(rows(d).slice(0, 5));
  });
});
