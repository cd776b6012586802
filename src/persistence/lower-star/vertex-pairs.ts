import { grown } from '../toolkit/growable.js';

/**
 * The pairs of one homology dimension as found by the passes, named by their owner vertices
 * (death −1 for an essential class), before values are attached: the passes write two Int32
 * arrays and nothing else, and the engine turns them into a diagram in one loop.
 */
export class VertexPairs {
  births: Int32Array = new Int32Array(64); // birth vertex of pair i
  deaths: Int32Array = new Int32Array(64); // death vertex of pair i, −1 when essential
  length = 0;

  reset(): void {
    this.length = 0;
  }

  push(birth: number, death: number): void {
    if (this.length === this.births.length) {
      this.births = grown(this.births, 2 * this.length);
      this.deaths = grown(this.deaths, 2 * this.length);
    }
    this.births[this.length] = birth;
    this.deaths[this.length++] = death;
  }
}
