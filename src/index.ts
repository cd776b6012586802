/**
 * tfjs-topo: topological losses for TensorFlow.js.
 *
 * The persistence engines (cubical, Vietoris–Rips, lower-star on simplicial complexes) need no
 * tfjs and are also available alone as `tfjs-topo/persistence`; everything else uses the application's
 * `@tensorflow/tfjs-core` and `@tensorflow/tfjs-layers` (peer dependencies). The exports follow the
 * data flow, floor by floor (ARCHITECTURE.md).
 */

// Engines: arrays in, diagrams with critical cells out (no tfjs).
export * from './persistence/index.js';

// Seeded synthetic segmentation datasets, and segmentation metrics on the host (no tfjs).
export * from './datasets/index.js';
export * from './metrics/index.js';

// Faster convolution kernels for training conv nets on the CPU backends (wasm, cpu); opt-in.
export * from './kernels/index.js';

// Differentiable ops: tensors in, diagrams as tensors out, and the functionals Φ on them.
export { mapLayout } from './base/layout.js';
export type { MapLayout } from './base/layout.js';
export { persistenceDiagrams } from './ops/persistence-op.js';
export type { EssentialMode, PersistenceOpOptions, TensorDiagrams } from './ops/persistence-op.js';
export { setPairingPool } from './ops/pairing-pool.js';
export type { PairingPool, PairingPoolOptions } from './ops/pairing-pool.js';
export { cloudDiagrams, pointCloudTerm, ripsDiagrams } from './ops/rips-op.js';
export type {
  CloudLayout,
  CloudSample,
  PointCloudDiagrams,
  PointCloudTermConfig,
  RipsOpOptions,
} from './ops/rips-op.js';
export { complexTerm, lowerStarDiagrams } from './ops/lower-star-op.js';
export type { ComplexDiagrams, ComplexTermConfig, LowerStarOpOptions } from './ops/lower-star-op.js';
export type { DiagramSet } from './ops/diagram-set.js';
export { bettiLoss, topKLifetimes, totalPersistence, wassersteinLoss } from './ops/functionals.js';
export type {
  BettiLossOptions,
  FunctionalOptions,
  Goal,
  GradientTarget,
  MapReduction,
  PairFilter,
  TopKOptions,
  TotalPersistenceOptions,
  WassersteinOptions,
} from './ops/functionals.js';
export {
  bettiCurve,
  persistenceImage,
  persistenceLandscape,
  persistenceSilhouette,
  persistentEntropy,
} from './ops/vectorizations.js';
export type { LandscapeOptions, PersistenceImageOptions } from './ops/vectorizations.js';
export { paddedDiagrams } from './ops/padded-diagrams.js';
export type { PaddedDiagramsOptions } from './ops/padded-diagrams.js';
export { matchDiagrams } from './ops/matching.js';
export type { DiagramMatching, MatchingOptions } from './ops/matching.js';
export { topologicalTerm } from './ops/topological-term.js';
export type { FunctionalConfig, TopologicalTermConfig } from './ops/topological-term.js';
export { LABEL_TERM_KINDS, LabelTerm } from './ops/label-term.js';
export { ComponentGraph } from './ops/component-graph.js';
export type { LabelTermConfig, LabelTermKind } from './ops/label-term.js';
export type { PatchOptions } from './ops/tiles.js';
export { clDiceLoss, softSkeleton } from './ops/cldice.js';

// STUMP: random approximates (blocks, covers, point subsets) and the smeared estimate of a term.
export { BlockSmear, SMEAR_MEASURES } from './smear/block-smear.js';
export type { BlockSmearOptions, HostApproximate, SmearMeasure, SmearRange } from './smear/block-smear.js';
export { PLATEAU_TOLERANCE, SmearSchedule } from './smear/smear-schedule.js';
export type { SmearArgs, SmearStage } from './smear/smear-schedule.js';
export { blockCover, coverFromSets, graphBallCover, nerve } from './smear/cover.js';
export type { Cover } from './smear/cover.js';
export { CoverSmear } from './smear/cover-smear.js';
export type { CoverSmearOptions } from './smear/cover-smear.js';
export { PointSubsample } from './smear/point-subsample.js';
export type { PointDraw, PointSampling, PointSubsampleOptions } from './smear/point-subsample.js';
export { smearedComplexTerm, smearedPointCloudTerm, smearedTerm } from './smear/smeared-term.js';
export { smearedLabelTerm } from './smear/smeared-label-term.js';

// Diagnostics: where a smeared gradient goes (the paper's critical smear).
export { criticalSmear, slicedWassersteinTransfer } from './diagnostics/critical-smear.js';
export type {
  CriticalSmear,
  CriticalSmearOptions,
  CriticalSmearPoint,
  DiagramPoints,
} from './diagnostics/critical-smear.js';
export {
  finiteDifferenceCheck,
  GradientDiagnostics,
  gradientGram,
  gradientGramOf,
} from './diagnostics/gradient-diagnostics.js';
export type {
  DiagnosticsSmear,
  FiniteDifferenceCheck,
  FiniteDifferenceOptions,
  FiniteDifferenceSchedule,
  GradientDiagnosticsOptions,
  GradientGram,
  GradientRecord,
} from './diagnostics/gradient-diagnostics.js';

// Direct optimization of a tensor (the paper's setting).
export { optimize } from './optimize/optimize.js';
export type { OptimizeOptions, OptimizePath, OptimizeResult, StepInfo, StepRecord } from './optimize/optimize.js';

// Keras-style layers and loss functions.
export * as layers from './layers/exports-layers.js';
export * as losses from './layers/exports-losses.js';
