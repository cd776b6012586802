import { PersistenceDiagram, sortedPairOrder } from 'tfjs-topo/persistence';

export interface DiagramJsonMeta {
  shape: readonly number[];
  construction: 'T' | 'V';
  superlevel: boolean;
  /** Per axis, whether it wraps around; the key is printed only when given. */
  periodic?: readonly boolean[];
}

/**
 * The JSON form of the GUDHI oracle (`gudhi_oracle.py`), one line, same key order and separators:
 * pairs in `sortedPairOrder`, essential deaths as null, cells (flat C-order indices, -1 for
 * essential) in the order of their pairs, keys only for the dimensions given.
 * Numbers print in shortest round-trip form, so they parse back to the identical double.
 */
export function formatDiagramJson(diagrams: readonly PersistenceDiagram[], meta: DiagramJsonMeta): string {
  const pairs: string[] = [];
  const cells: string[] = [];
  for (const d of diagrams) {
    const order = sortedPairOrder(d, meta.superlevel);
    const p: string[] = [];
    const c: string[] = [];
    for (const i of order) {
      p.push(`[${jsonNumber(d.births[i])}, ${jsonNumber(d.deaths[i])}]`);
      c.push(`[${d.birthCells[i]}, ${d.deathCells[i]}]`);
    }
    pairs.push(`"${d.dim}": [${p.join(', ')}]`);
    cells.push(`"${d.dim}": [${c.join(', ')}]`);
  }
  return (
    `{"shape": [${meta.shape.join(', ')}], "construction": "${meta.construction}", ` +
    (meta.periodic ? `"periodic": [${meta.periodic.join(', ')}], ` : '') +
    `"field": 2, ` +
    `"filtration": "${meta.superlevel ? 'superlevel' : 'sublevel'}", ` +
    `"diagrams": {${pairs.join(', ')}}, "cells": {${cells.join(', ')}}}`
  );
}

/** JSON number; infinite → null (essential class); -0 keeps its sign, which JSON.stringify drops. */
export function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  return Object.is(x, -0) ? '-0.0' : String(x);
}
