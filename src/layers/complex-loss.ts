import * as tf from '@tensorflow/tfjs-core';
import { complexTerm, ComplexTermConfig, LowerStarOpOptions } from '../ops/lower-star-op.js';
import { checkEssential } from '../ops/persistence-op.js';
import { checkDimsComputed } from '../ops/topological-term.js';
import { SimplicialComplex } from '../persistence/lower-star/simplicial-complex.js';
import { coverFromSets, graphBallCover, nerve } from '../smear/cover.js';
import { CoverSmear, CoverSmearOptions } from '../smear/cover-smear.js';
import { smearedComplexTerm } from '../smear/smeared-term.js';
import { TopoLossLayer, TopoLossLayerArgs } from './topo-loss-base.js';
import { LowerStarPersistence } from '../persistence/lower-star/lower-star.js';
import { asArgument, checkInteger } from '../base/checks.js';

/** The arguments of `VanillaComplexTopoLoss`: the functional, the weight, the complex and the lower-star options. */
export interface VanillaComplexTopoLossArgs extends TopoLossLayerArgs, LowerStarOpOptions {
  /** The fixed complex, as its maximal simplices (e.g. a mesh's triangles); saved with the layer. */
  simplices: number[][];
  /** Number of vertices. Default: one more than the largest vertex listed. */
  numVertices?: number;
}

/**
 * Identity layer that adds `weight · Φ(PD(input))` to the model's loss during training, for
 * functions on the vertices of a fixed simplicial complex (a mesh, a graph, a triangulated domain)
 * with their lower-star filtration. The input is a batch `[B, n]` of vertex values; each item is
 * one map. Gradients land on the critical vertices.
 */
export class VanillaComplexTopoLoss extends TopoLossLayer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'VanillaComplexTopoLoss';
  static override argKeys = [...TopoLossLayer.argKeys, 'simplices', 'numVertices', 'superlevel', 'dims', 'essential'];
  /** The fixed complex, built from `args.simplices` and `args.numVertices`. */
  readonly complex: SimplicialComplex;
  protected readonly term: ComplexTermConfig;
  private readonly simplices: number[][];
  private readonly numVertices?: number;

  constructor(args: VanillaComplexTopoLossArgs) {
    super(args);
    const { simplices, numVertices, superlevel, dims, essential } = args;
    if (numVertices !== undefined) checkInteger(numVertices, 'args.numVertices', undefined, 1, 2 ** 31 - 1);
    this.complex = asArgument(
      'args.simplices',
      () => SimplicialComplex.fromSimplices(simplices, numVertices),
      'simplices',
    );
    asArgument('args', () => new LowerStarPersistence(this.complex, { superlevel, dims })); // checks them now
    checkEssential(essential, 'args.essential');
    checkDimsComputed(this.functional, dims, 'args');
    this.simplices = simplices;
    this.numVertices = numVertices;
    this.term = { functional: this.functional, superlevel, dims, essential };
  }

  protected evaluate(values: tf.Tensor): tf.Scalar {
    return complexTerm(values, this.complex, this.term);
  }

  protected termConfig(): object {
    const { superlevel, dims, essential } = this.term;
    return { simplices: this.simplices, numVertices: this.numVertices, superlevel, dims, essential };
  }
}
tf.serialization.registerClass(VanillaComplexTopoLoss);

/** The arguments of `SmearedComplexTopoLoss`: `VanillaComplexTopoLossArgs`, the cover and the smear settings. */
export interface SmearedComplexTopoLossArgs extends VanillaComplexTopoLossArgs, CoverSmearOptions {
  /** The cover U as vertex sets; saved with the layer. Omit for graph balls of `coverRadius` edges. */
  cover?: number[][];
  /** Radius, in edges, of the graph-ball cover built when `cover` is omitted. Default 1. */
  coverRadius?: number;
  /** Approximates averaged per step. Default 1. */
  samples?: number;
}

/**
 * `VanillaComplexTopoLoss` with STUMP smearing on a cover (paper, Section II.A): each training
 * step draws `samples` approximates f_ω on the nerve of the cover — random convex combinations of
 * the values over each cover element, plus noise — and adds `weight ·` the mean of Φ over their
 * lower-star diagrams. The gradient reaches every vertex of the cover elements involved.
 */
export class SmearedComplexTopoLoss extends VanillaComplexTopoLoss {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static override className = 'SmearedComplexTopoLoss';
  static override argKeys = [
    ...VanillaComplexTopoLoss.argKeys,
    'cover',
    'coverRadius',
    'noise',
    'measure',
    'seed',
    'samples',
  ];
  /** The nerve of the cover, on whose vertices the approximates live (up to the dimensions the term needs). */
  readonly nerve: SimplicialComplex;
  /** Approximates averaged per step (`args.samples`). Default 1. */
  readonly samples: number;
  private readonly smear: CoverSmear;
  private readonly smearConfig: object;
  private readonly nerveTerm: ComplexTermConfig; // the term on the nerve: every dimension it can hold

  constructor(args: SmearedComplexTopoLossArgs) {
    super(args);
    const { cover, coverRadius = 1, noise, measure, seed, samples = 1, dims } = args;
    checkInteger(samples, 'args.samples', 1, 1);
    const sets =
      cover === undefined
        ? asArgument('args.coverRadius', () => graphBallCover(this.complex, coverRadius), 'radius')
        : asArgument('args.cover', () => coverFromSets(cover, this.complex.numVertices), 'sets');
    // H_k needs the nerve's (k+1)-skeleton.
    const top = dims === undefined ? this.complex.dimension : Math.max(...dims) + 1;
    this.nerve = nerve(this.complex, sets, top);
    this.smear = asArgument('args', () => new CoverSmear(sets, { noise, measure, seed }));
    this.nerveTerm = {
      ...this.term,
      dims: dims ?? Array.from({ length: Math.min(this.complex.dimension, this.nerve.dimension) + 1 }, (_, k) => k),
    };
    this.samples = samples;
    this.smearConfig = {
      cover,
      coverRadius: cover === undefined ? coverRadius : undefined,
      noise,
      measure,
      seed: this.smear.seed,
      samples,
    };
  }

  protected override evaluate(values: tf.Tensor): tf.Scalar {
    return smearedComplexTerm(values, this.nerveTerm, this.smear, this.nerve, this.samples);
  }

  protected override termConfig(): object {
    return { ...super.termConfig(), ...this.smearConfig };
  }
}
tf.serialization.registerClass(SmearedComplexTopoLoss);
