import { BoxDual } from '../../../src/persistence/cubical/box-dual';
import { BoxLowerStars } from '../../../src/persistence/cubical/box-lower-stars';
import { CubicalCells3D } from '../../reference/cubical-cells-3d';
import { FiltrationOrder } from '../../../src/persistence/cubical/filtration-order';
import { PaddedGrid } from '../../../src/persistence/cubical/padded-grid';
import { DiagramBuilder } from '../../../src/persistence/diagram';
import { canonicalPairs } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The lower-star engine (V volumes, and T volumes through their dual) against the cell-level engine
// on the same filtration: independent algorithms (local links, forests and apparent pairs, on the
// dual grid for T, vs Kruskal over every cell and a full reduction) whose pairs and critical cells
// must agree exactly. brute-force.test.ts checks both against the textbook reduction on tiny
// volumes; this goes to larger ones and many more ties.

type Values = Float32Array | Float64Array;
type Construction = 'T' | 'V';

const engine = (shape: number[], construction: Construction) =>
  construction === 'V' ? new BoxLowerStars(shape) : new BoxDual(shape, true);

function lowerStars(shape: number[], construction: Construction, values: Values, superlevel: boolean, keep: boolean) {
  const builders = [0, 1, 2].map((k) => new DiagramBuilder(k));
  engine(shape, construction).compute(values, superlevel, builders, keep);
  return builders.map((b) => canonicalPairs(b.build()));
}

function cellLevel(shape: number[], construction: Construction, values: Values, superlevel: boolean, keep: boolean) {
  const grid = new PaddedGrid(shape);
  const filtration = new FiltrationOrder(grid);
  filtration.compute(values, superlevel);
  const builders = [0, 1, 2].map((k) => new DiagramBuilder(k));
  new CubicalCells3D(grid, construction).compute(values, filtration, builders, keep);
  return builders.map((b) => canonicalPairs(b.build()));
}

describe.each(['V', 'T'] as const)(
  'lower stars vs the cell-level engine (%s, exact pairs and cells)',
  (construction) => {
    const random = mulberry32(2026);
    const cases: { shape: number[]; values: Values; superlevel: boolean; keep: boolean }[] = [];
    for (let k = 0; k < 400; k++) {
      const side = k < 300 ? 6 : 13;
      const shape = [1 + randomInt(random, side), 1 + randomInt(random, side), 1 + randomInt(random, side)];
      const size = shape[0] * shape[1] * shape[2];
      const levels = [2, 3, 5, 0][k % 4]; // 0: continuous values
      const values = k % 3 === 0 ? new Float32Array(size) : new Float64Array(size);
      for (let i = 0; i < size; i++) values[i] = levels > 0 ? randomInt(random, levels) : random();
      cases.push({ shape, values, superlevel: k % 5 === 1, keep: k % 7 === 3 });
    }

    test('400 random volumes up to 13³, heavy ties, both dtypes, filtrations and keepZeroLength', () => {
      for (const { shape, values, superlevel, keep } of cases) {
        const actual = lowerStars(shape, construction, values, superlevel, keep);
        const expected = cellLevel(shape, construction, values, superlevel, keep);
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          throw new Error(
            `shape [${shape}] ${values.constructor.name} superlevel ${superlevel} keep ${keep}: [${Array.from(values)}]`,
          );
      }
    });

    test('a 24³ noise volume: the sweeps and the reduction have work to do', () => {
      const shape = [24, 24, 24];
      const values = new Float32Array(24 ** 3).map(() => random());
      const pairing = engine(shape, construction);
      const builders = [0, 1, 2].map((k) => new DiagramBuilder(k));
      pairing.compute(values, false, builders, false);
      const actual = builders.map((b) => canonicalPairs(b.build()));
      expect(actual).toEqual(cellLevel(shape, construction, values, false, false));
      expect(Math.min(...actual.map((pairs) => pairs.length))).toBeGreaterThan(100);
      // The same engine again (its buffers reused) on other inputs, of both dtypes.
      const smooth = values.map((_, i) => Math.sin(i / 97) + Math.cos(i / 13));
      for (const input of [smooth, Float64Array.from(smooth, (x) => x / 3), smooth]) {
        const again = [0, 1, 2].map((k) => new DiagramBuilder(k));
        pairing.compute(input, true, again, true);
        expect(again.map((b) => canonicalPairs(b.build()))).toEqual(cellLevel(shape, construction, input, true, true));
      }
    });
  },
);
