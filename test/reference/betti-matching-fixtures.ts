import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { writeNpy } from '../../app/io/npy';
import { FIXTURES } from './fixtures';

/** One pair of test/fixtures/betti-matching (the authors' Betti-Matching-3D code on it). */
export interface BettiMatchingFixture {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float64';
  /** Every stored value is a numerator: value = number / scale. */
  scale: number;
  prediction: number[];
  target: number[];
  /** The reference's error per dimension for (prediction >= 0.5) against (target != 0), superlevel. */
  bettiMatchingError: number[];
}

/** The committed fixtures, sorted by file name. */
export function loadBettiMatchingFixtures(): BettiMatchingFixture[] {
  const dir = join(FIXTURES, 'betti-matching');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/**
 * Writes a fixture's prediction and target, in its dtype, as `<name>.npy` into two folders (created
 * when missing), for `tfjs-topo metrics PRED_DIR LABEL_DIR`, and returns the two arrays. The values
 * are numerators over the scale, exact in float32 too: a value that did not survive is refused.
 */
export function writeFixtureNpy(
  f: BettiMatchingFixture,
  predDir: string,
  labelDir: string,
): { pred: Float32Array | Float64Array; label: Float32Array | Float64Array } {
  const typed = (values: number[]) => {
    const out =
      f.dtype === 'float32'
        ? Float32Array.from(values, (x) => x / f.scale)
        : Float64Array.from(values, (x) => x / f.scale);
    out.forEach((x, i) => {
      if (x * f.scale !== values[i])
        throw new Error(`fixture ${f.name}: ${values[i]} / ${f.scale} is not a ${f.dtype}`);
    });
    return out;
  };
  const [pred, label] = [typed(f.prediction), typed(f.target)];
  mkdirSync(predDir, { recursive: true });
  mkdirSync(labelDir, { recursive: true });
  writeFileSync(join(predDir, `${f.name}.npy`), writeNpy(pred, f.shape));
  writeFileSync(join(labelDir, `${f.name}.npy`), writeNpy(label, f.shape));
  return { pred, label };
}
