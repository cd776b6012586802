import { Construction, cubicalPersistence } from 'tfjs-topo/persistence';
import { formatDiagramJson } from './diagram-json';
import { EXIT_OK, inputError, oneLine, usageError } from './errors';
import { CliIO } from './io';
import { decodeArray, firstNonFinite, formatShape, readInput } from './load';
import { parseArgs } from './options';
import type { Command } from './command';

const USAGE = `Usage: tfjs-topo diagram INPUT [--construction T|V] [--superlevel] [--dims 0,1] [--periodic 0,1]

Persistence diagram of a 2-D image or 3-D volume, printed on stdout as one line of JSON.

  INPUT                .npy file, 2-D or 3-D, C or Fortran order: float32, float64, 8- to 64-bit
                       integers (64-bit ones only where float64 holds them exactly, as it does
                       every integer up to 2^53 in magnitude), or bool (as 0 and 1); or .png
                       file: grey value, or BT.601 luminance 0.299 R + 0.587 G + 0.114 B for
                       colour; never rescaled; alpha ignored
  --construction T|V   T (default): entries are top cells, H0 8-/26-connected (GUDHI's);
                       V: entries are vertices, H0 4-/6-connected
  --superlevel         superlevel filtration (values enter from the largest; birth > death)
  --dims LIST          comma-separated homology dimensions, each below the input's rank, or
                       up to it when every axis is periodic (default: all)
  --periodic AXES      comma-separated axes (0 = first) that wrap around, as GUDHI's
                       PeriodicCubicalComplex: 0,1 makes an image a torus, 1 a cylinder

Output: {"shape": [...], "construction": "T", "field": 2, "filtration": "sublevel",
  "diagrams": {"0": [[birth, death], ...], ...}, "cells": {"0": [[birthCell, deathCell], ...], ...}}
(with --periodic, "periodic": [true, false, ...] follows "construction")
Pairs are sorted by (birth, death), ascending, an essential class's death counting as +Infinity
(-Infinity with --superlevel); an essential class has death null and deathCell -1. Cells are
flat C-order indices of the input entries whose values are the birth and death, exactly.
Coefficients are Z/2; pairs with birth = death are left out.

Exit status: 0 done, 1 unusable input, 2 wrong command line (including --dims beyond the rank).
`;

export const diagramCommand: Command = {
  name: 'diagram',
  summary: 'persistence diagram of a .npy or .png image or volume, as JSON',
  usage: USAGE,
  run(args: readonly string[], io: CliIO): number {
    const opts = parseArgs(args, { construction: 'value', superlevel: 'flag', dims: 'value', periodic: 'value' });
    if (opts.positionals.length === 0) throw usageError('diagram: missing INPUT file');
    if (opts.positionals.length > 1) throw usageError(`diagram: unexpected argument '${opts.positionals[1]}'`);
    const path = opts.positionals[0];
    const construction = parseConstruction(opts.values.get('construction'));
    const superlevel = opts.flags.has('superlevel');
    const dimsArg = opts.values.get('dims');
    const dims = dimsArg === undefined ? undefined : parseList(dimsArg, '--dims');
    const periodicArg = opts.values.get('periodic');
    const axes = periodicArg === undefined ? undefined : parseList(periodicArg, '--periodic');

    let data: Float32Array | Float64Array;
    let shape: number[];
    try {
      ({ data, shape } = decodeArray(path, readInput(path, io.readFile)));
    } catch (e) {
      throw inputError(`${path}: ${oneLine(e)}`);
    }
    if (shape.length !== 2 && shape.length !== 3) {
      throw inputError(`${path}: expected a 2-D or 3-D array, got shape ${formatShape(shape)}`);
    }
    if (data.length === 0) throw inputError(`${path}: expected a non-empty array, got shape ${formatShape(shape)}`);
    const bad = firstNonFinite(data);
    if (bad >= 0) {
      throw inputError(`${path}: input holds NaN or infinite values (${data[bad]} at flat index ${bad})`);
    }
    const badAxis = axes?.find((a) => a >= shape.length);
    if (badAxis !== undefined) {
      throw usageError(
        `--periodic: axis ${badAxis} is out of range for a ${shape.length}-D input (expected 0..${shape.length - 1})`,
      );
    }
    const periodic = axes && shape.map((_, a) => axes.includes(a));
    const top = periodic?.every(Boolean) ? shape.length : shape.length - 1;
    const tooHigh = dims?.find((k) => k > top);
    if (tooHigh !== undefined) {
      const what = top === shape.length ? `a ${shape.length}-D torus` : `a ${shape.length}-D input`;
      throw usageError(`--dims: dimension ${tooHigh} is out of range for ${what} (expected 0..${top})`);
    }

    let text: string;
    try {
      const diagrams = cubicalPersistence(data, shape, { construction, superlevel, dims, periodic });
      text = formatDiagramJson(diagrams, { shape, construction, superlevel, periodic });
    } catch (e) {
      throw inputError(`${path}: ${oneLine(e)}`);
    }
    io.stdout(text + '\n');
    return EXIT_OK;
  },
};

function parseConstruction(value: string | undefined): Construction {
  if (value === undefined || value === 'T' || value === 'V') return value ?? 'T';
  throw usageError(`--construction: expected T or V, got '${value}'`);
}

/** "0,1" → [0, 1], sorted, without repeats; a usage error naming `option` otherwise. */
function parseList(value: string, option: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((s) => !/^\d+$/.test(s))) {
    throw usageError(`${option}: expected comma-separated non-negative integers such as 0,1, got '${value}'`);
  }
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}
