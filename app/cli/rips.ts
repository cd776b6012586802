import { readCsv } from '../io/csv';
import { RipsDiagram, ripsPersistence, ripsPersistenceFromDistances } from 'tfjs-topo/persistence';
import type { Command } from './command';
import { jsonNumber } from './diagram-json';
import { EXIT_OK, inputError, oneLine, usageError } from './errors';
import { CliIO } from './io';
import { decodeArray, fileKind, formatShape, KIND_NAMES, readInput } from './load';
import { parseArgs } from './options';

const USAGE = `Usage: tfjs-topo rips INPUT [--maxdim 1] [--threshold T] [--distances]

Vietoris–Rips persistence diagram of a point cloud, printed on stdout as one line of JSON.

  INPUT            .npy file of shape [n, d] (one point per row), or .csv / text file with one
                   point per line (values separated by commas, semicolons, tabs or spaces; a
                   header line and lines starting with # are skipped)
  --maxdim K       highest homology dimension, 0, 1 or 2 (default 1)
  --threshold T    only edges of length ≤ T (default: none)
  --distances      INPUT is a full n × n distance matrix instead of points

Output: {"points": n, "dimension": d, "field": 2, "maxdim": 1, "threshold": null,
  "diagrams": {"0": [[birth, death], ...], ...}, "cells": {"0": [[[i, j], [k, l]], ...], ...}}
Pairs are sorted by (birth, death); an essential class has death null and death edge [-1, -1].
Cells are the critical edges as point index pairs: the birth edge's length is the birth and the
death edge's length the death, exactly (H0 births are the point [v, v]). Distances are Euclidean,
in double precision. Coefficients are Z/2; pairs with birth = death are left out.

Exit status: 0 done, 1 unusable input, 2 wrong command line.
`;

export const ripsCommand: Command = {
  name: 'rips',
  summary: 'Vietoris–Rips persistence of a point cloud (.npy or .csv), as JSON',
  usage: USAGE,
  run(args: readonly string[], io: CliIO): number {
    const opts = parseArgs(args, { maxdim: 'value', threshold: 'value', distances: 'flag' });
    if (opts.positionals.length !== 1)
      throw usageError(
        opts.positionals.length === 0
          ? 'rips: missing INPUT file'
          : `rips: unexpected argument '${opts.positionals[1]}'`,
      );
    const path = opts.positionals[0];
    const maxDim = parseMaxDim(opts.values.get('maxdim'));
    const threshold = parseThreshold(opts.values.get('threshold'));
    const distances = opts.flags.has('distances');

    let data: ArrayLike<number>;
    let shape: readonly number[];
    try {
      ({ data, shape } = load(path, readInput(path, io.readFile)));
    } catch (e) {
      throw inputError(`${path}: ${oneLine(e)}`);
    }
    if (shape.length !== 2)
      throw inputError(`${path}: expected a 2-D array (one point per row), got shape ${formatShape(shape)}`);
    const [n, d] = shape;
    if (distances && n !== d)
      throw inputError(`${path}: --distances expects a square n × n matrix, got shape ${formatShape(shape)}`);

    let text: string;
    try {
      const options = { maxDim, threshold };
      const diagrams = distances ? ripsPersistenceFromDistances(data, n, options) : ripsPersistence(data, d, options);
      text = formatRipsJson(diagrams, { points: n, dimension: distances ? null : d, maxDim, threshold });
    } catch (e) {
      throw inputError(`${path}: ${oneLine(e)}`);
    }
    io.stdout(text + '\n');
    return EXIT_OK;
  },
};

/** .npy by content (or extension), text as CSV; anything else is refused, naming what it is. */
function load(path: string, bytes: Uint8Array): { data: ArrayLike<number>; shape: readonly number[] } {
  const kind = fileKind(bytes);
  if (kind === 'npy' || (kind === 'binary' && /\.npy$/i.test(path))) return decodeArray(path, bytes);
  if (kind === 'text') return readCsv(new TextDecoder().decode(bytes));
  throw new Error(`expected a .npy array or a text (.csv) file of points, got ${KIND_NAMES[kind]}`);
}

function parseMaxDim(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^[012]$/.test(value)) throw usageError(`--maxdim: expected 0, 1 or 2, got '${value}'`);
  return Number(value);
}

function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Number(value);
  if (value.trim() === '' || !(t > 0)) throw usageError(`--threshold: expected a positive number, got '${value}'`);
  return t;
}

interface RipsJsonMeta {
  points: number;
  dimension: number | null;
  maxDim: number;
  threshold: number | undefined;
}

/** One line of JSON: pairs sorted by (birth, death), their critical edges in the same order. */
export function formatRipsJson(diagrams: readonly RipsDiagram[], meta: RipsJsonMeta): string {
  const pairs: string[] = [];
  const cells: string[] = [];
  for (const d of diagrams) {
    const order = Array.from(d.births, (_, i) => i).sort(
      (a, b) => d.births[a] - d.births[b] || d.deaths[a] - d.deaths[b] || a - b,
    );
    const edge = (e: Int32Array, i: number) => `[${e[2 * i]}, ${e[2 * i + 1]}]`;
    pairs.push(
      `"${d.dim}": [${order.map((i) => `[${jsonNumber(d.births[i])}, ${jsonNumber(d.deaths[i])}]`).join(', ')}]`,
    );
    cells.push(`"${d.dim}": [${order.map((i) => `[${edge(d.birthEdges, i)}, ${edge(d.deathEdges, i)}]`).join(', ')}]`);
  }
  return (
    `{"points": ${meta.points}, "dimension": ${meta.dimension ?? 'null'}, "field": 2, "maxdim": ${meta.maxDim}, ` +
    `"threshold": ${meta.threshold === undefined ? 'null' : jsonNumber(meta.threshold)}, ` +
    `"diagrams": {${pairs.join(', ')}}, "cells": {${cells.join(', ')}}}`
  );
}
