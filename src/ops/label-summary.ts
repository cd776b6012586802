import { CubicalPersistence } from '../persistence/cubical/cubical.js';
import { lastInFiltration } from './persistence-op.js';

/** What a label-aware term needs to know about one label map, computed once per label. */
export interface LabelSummary {
  /** Per computed dimension (index k of `dims`): the label's Betti number at the threshold. */
  readonly betti: Int32Array;
  /**
   * Per computed dimension: the label's diagram as interleaved (birth, death) values, essential
   * classes clipped at the map's last value (as `persistenceDiagrams(…, { essential: 'clip' })`).
   */
  readonly diagrams: Float64Array[];
}

/**
 * The summary of one label map: its persistence diagrams (the same construction and direction as
 * the prediction's) and its Betti numbers at `threshold` — the classes alive there: born at or
 * above it and dying below it in a superlevel filtration (at or below / above for sublevel).
 */
export function summarizeLabel(values: Float32Array, engine: CubicalPersistence, threshold: number): LabelSummary {
  const superlevel = engine.superlevel;
  const last = values[lastInFiltration(values, superlevel)]; // where essential classes are clipped
  const alive = (birth: number, death: number) =>
    superlevel ? birth >= threshold && death < threshold : birth <= threshold && death > threshold;
  const diagrams = engine.compute(values);
  const betti = new Int32Array(diagrams.length);
  const flat = diagrams.map((d, k) => {
    const out = new Float64Array(2 * d.births.length);
    for (let i = 0; i < d.births.length; i++) {
      const essential = d.deathCells[i] < 0;
      const death = essential ? last : d.deaths[i];
      if (alive(d.births[i], essential ? (superlevel ? -Infinity : Infinity) : death)) betti[k]++;
      out[2 * i] = d.births[i];
      out[2 * i + 1] = death;
    }
    return out;
  });
  return { betti, diagrams: flat };
}
