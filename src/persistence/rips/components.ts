import { RipsDiagramBuilder } from './diagram.js';
import { RipsEdges } from './edges.js';
import { find } from '../toolkit/union-find.js';

/**
 * H0 of a Rips filtration: Kruskal's algorithm over the edges in filtration order with a
 * union-find forest. Every vertex is born at 0; vertices precede all edges and are ordered by
 * index, so the elder rule keeps the component whose smallest vertex is smaller. An edge joining
 * two components kills the other one: the pair is (0, length), birth vertex the smallest vertex
 * of the dying component, reported as (v, v). Components never joined are essential, born at
 * their smallest vertex. The merging edges (the minimum spanning forest) are marked in
 * `deathEdge`, for clearing in H1.
 */
export class RipsComponents {
  private parent = new Int32Array(0); // union-find forest; every root is its component's smallest vertex
  /** deathEdge[r] = 1 if the edge of rank r joins two components. */
  deathEdge = new Uint8Array(0);

  compute(edges: RipsEdges, out: RipsDiagramBuilder, keepZeroLength: boolean): void {
    const { n, count, vertexA, vertexB, lengths } = edges;
    if (this.parent.length < n) this.parent = new Int32Array(n);
    if (this.deathEdge.length < count) this.deathEdge = new Uint8Array(Math.max(count, 2 * this.deathEdge.length));
    const parent = this.parent;
    const deathEdge = this.deathEdge;
    for (let v = 0; v < n; v++) parent[v] = v;
    deathEdge.fill(0, 0, count);
    let components = n;
    for (let r = 0; r < count && components > 1; r++) {
      const ra = find(parent, vertexA[r]);
      const rb = find(parent, vertexB[r]);
      if (ra === rb) continue;
      const younger = ra > rb ? ra : rb;
      parent[younger] = ra > rb ? rb : ra;
      deathEdge[r] = 1;
      components--;
      const death = lengths[r];
      if (keepZeroLength || death !== 0) out.push(0, death, younger, younger, vertexA[r], vertexB[r]);
    }
    for (let v = 0; v < n; v++) if (parent[v] === v) out.push(0, Infinity, v, v, -1, -1);
  }
}
