import { withRoom } from '../toolkit/growable.js';

/**
 * The finite bars of positive length of one input in one dimension, as (birth cell, death cell)
 * names, with the death and a matched flag looked up by the birth cell (each cell is the birth of
 * at most one bar). In a sparse complex, the bars that die at the floor are kept apart, as their
 * birth cells.
 */
export class BarTable {
  births = new Int32Array(64);
  deaths = new Int32Array(64);
  length = 0;
  /** Per birth-cell name: the bar's death cell, or −1. */
  readonly deathOf: Int32Array;
  /** Per birth-cell name: 1 once the bar is matched. */
  readonly matched: Uint8Array;
  /** Birth cells of the bars dying at the floor (a sparse complex), `floorLength` of them. */
  floorBirths = new Int32Array(16);
  floorLength = 0;

  /** @param names size of the name space of the birth cells */
  constructor(names: number) {
    this.deathOf = new Int32Array(names).fill(-1);
    this.matched = new Uint8Array(names);
  }

  /** Forgets every bar (touching only the entries of the bars it held). */
  reset(): void {
    const { births, deathOf, matched } = this;
    for (let i = 0; i < this.length; i++) {
      deathOf[births[i]] = -1;
      matched[births[i]] = 0;
    }
    this.length = 0;
    this.floorLength = 0;
  }

  push(birth: number, death: number): void {
    const n = this.length++;
    if (n === this.births.length) {
      this.births = withRoom(this.births, n + 1);
      this.deaths = withRoom(this.deaths, n + 1);
    }
    this.births[n] = birth;
    this.deaths[n] = death;
    this.deathOf[birth] = death;
  }

  /** Records a bar dying at the floor, by its birth cell. */
  pushFloor(birth: number): void {
    const n = this.floorLength++;
    if (n === this.floorBirths.length) this.floorBirths = withRoom(this.floorBirths, n + 1);
    this.floorBirths[n] = birth;
  }

  /** Clears the matched flags of every bar, keeping the bars. */
  clearMatches(): void {
    for (let i = 0; i < this.length; i++) this.matched[this.births[i]] = 0;
  }
}

/** The death cell of the bars that die at the floor of a sparse complex. */
export const FLOOR = -1;

/** Matched bars as cell names (FLOOR for a death at the floor): the prediction's (birth, death) and the target's, growable. */
export class MatchList {
  predBirth = new Int32Array(64);
  predDeath = new Int32Array(64);
  targetBirth = new Int32Array(64);
  targetDeath = new Int32Array(64);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  push(pb: number, pd: number, tb: number, td: number): void {
    const n = this.length++;
    if (n === this.predBirth.length) {
      this.predBirth = withRoom(this.predBirth, n + 1);
      this.predDeath = withRoom(this.predDeath, n + 1);
      this.targetBirth = withRoom(this.targetBirth, n + 1);
      this.targetDeath = withRoom(this.targetDeath, n + 1);
    }
    this.predBirth[n] = pb;
    this.predDeath[n] = pd;
    this.targetBirth[n] = tb;
    this.targetDeath[n] = td;
  }
}

/**
 * Matches the bar of P born at pBorn with the bar of L born at lBorn when both exist (a birth of
 * −1, or one that starts no bar, matches nothing): flags both matched and appends the pair.
 */
export function matchBars(barsP: BarTable, pBorn: number, barsL: BarTable, lBorn: number, out: MatchList): void {
  if (pBorn < 0 || lBorn < 0) return;
  const pDeath = barsP.deathOf[pBorn];
  const lDeath = barsL.deathOf[lBorn];
  if (pDeath < 0 || lDeath < 0) return;
  barsP.matched[pBorn] = 1;
  barsL.matched[lBorn] = 1;
  out.push(pBorn, pDeath, lBorn, lDeath);
}
