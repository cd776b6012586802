import { grown } from '../toolkit/growable.js';

/**
 * Persistence pairs of one homology dimension of a Vietoris–Rips filtration. Every value is the
 * float64 length of the edge reported beside it, bit for bit.
 * @category Engines
 */
export interface RipsDiagram {
  /** Homology dimension of every pair in this diagram. */
  readonly dim: number;
  /** Birth values: the length of the birth edge (0 for dimension 0). */
  readonly births: Float64Array;
  /** Death values: the length of the death edge; `Infinity` for essential classes. */
  readonly deaths: Float64Array;
  /**
   * Two vertex indices per pair, `(i, j)` with `i < j`: the edge whose length is the birth (the
   * diameter edge of the birth simplex). For dimension 0 the birth vertex twice, `(v, v)`.
   */
  readonly birthEdges: Int32Array;
  /** Two vertex indices per pair: the edge whose length is the death; `(-1, -1)` if essential. */
  readonly deathEdges: Int32Array;
}

/** Grows the arrays of one Rips diagram without per-pair allocation. */
export class RipsDiagramBuilder {
  private births = new Float64Array(64);
  private deaths = new Float64Array(64);
  private birthEdges = new Int32Array(128);
  private deathEdges = new Int32Array(128);
  length = 0;

  constructor(readonly dim: number) {}

  /** Forgets all pairs, keeping the buffers. */
  reset(): void {
    this.length = 0;
  }

  push(birth: number, death: number, bi: number, bj: number, di: number, dj: number): void {
    if (this.length === this.births.length) this.grow();
    const k = this.length++;
    this.births[k] = birth;
    this.deaths[k] = death;
    this.birthEdges[2 * k] = bi;
    this.birthEdges[2 * k + 1] = bj;
    this.deathEdges[2 * k] = di;
    this.deathEdges[2 * k + 1] = dj;
  }

  /** A diagram holding copies of the pairs pushed so far. */
  build(): RipsDiagram {
    const n = this.length;
    return {
      dim: this.dim,
      births: this.births.slice(0, n),
      deaths: this.deaths.slice(0, n),
      birthEdges: this.birthEdges.slice(0, 2 * n),
      deathEdges: this.deathEdges.slice(0, 2 * n),
    };
  }

  private grow(): void {
    const size = this.births.length * 2;
    this.births = grown(this.births, size);
    this.deaths = grown(this.deaths, size);
    this.birthEdges = grown(this.birthEdges, 2 * size);
    this.deathEdges = grown(this.deathEdges, 2 * size);
  }
}
