import { CubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { bruteForcePersistence } from '../../reference/brute-force';
import { canonicalPairs } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The engine keeps its working memory between calls (for training loops). Nothing a call leaves
// behind may leak into the next: one instance per shape, fed a stream of different arrays, must
// give exactly what the reference gives on each array alone.

const shapes: number[][] = [
  [5, 6],
  [4, 3, 5],
  [3, 4, 4],
];

describe.each(shapes)('one engine reused on shape %j', (...shape) => {
  for (const construction of ['T', 'V'] as const)
    for (const superlevel of [false, true])
      test(`${construction} ${superlevel ? 'superlevel' : 'sublevel'}`, () => {
        const engine = new CubicalPersistence(shape, { construction, superlevel });
        const random = mulberry32(shape.length * 1000 + shape[0] * 10 + (construction === 'T' ? 1 : 2));
        const size = shape.reduce((a, b) => a * b, 1);
        for (let call = 0; call < 12; call++) {
          const values = new Float64Array(size);
          // Alternate heavy ties and continuous values so successive calls pair very differently.
          for (let i = 0; i < size; i++) values[i] = call % 2 === 0 ? randomInt(random, 3) : random();
          const ours = engine.compute(values);
          const reference = bruteForcePersistence(values, shape, { construction, superlevel });
          expect(ours.map(canonicalPairs)).toEqual(reference.map(canonicalPairs));
        }
      });
});
