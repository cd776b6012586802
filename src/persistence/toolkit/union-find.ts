/** Root of i's component in a union-find whose roots hold negative codes, halving the path on the way. */
export function findCodedRoot(parent: Int32Array, i: number): number {
  for (;;) {
    const p = parent[i];
    if (p < 0) return i;
    const g = parent[p];
    if (g < 0) return p;
    parent[i] = g;
    i = g;
  }
}

/** Root of i's component in a union-find whose roots are their own parent, halving the path. */
export function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const g = parent[parent[i]];
    parent[i] = g;
    i = g;
  }
  return i;
}
