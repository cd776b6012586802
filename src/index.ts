/**
 * tfjs-topo: topological losses for TensorFlow.js.
 *
 * The persistence engines (cubical, Vietoris–Rips, lower-star on simplicial complexes) need no
 * tfjs and are also available alone as `tfjs-topo/persistence`; everything else uses the application's
 * `@tensorflow/tfjs-core` and `@tensorflow/tfjs-layers` (peer dependencies).
 */
export * from './persistence';
export { persistenceDiagrams } from './ops/persistence-op';
export type { EssentialMode, PersistenceOpOptions, TensorDiagrams } from './ops/persistence-op';
export { cloudDiagrams, pointCloudTerm, ripsDiagrams } from './ops/rips-op';
export type { CloudLayout, CloudSample, PointCloudDiagrams, PointCloudTermConfig, RipsOpOptions } from './ops/rips-op';
export { complexTerm, lowerStarDiagrams } from './ops/lower-star-op';
export type { ComplexDiagrams, ComplexTermConfig, LowerStarOpOptions } from './ops/lower-star-op';
export type { DiagramSet } from './ops/diagram-set';
export { bettiLoss, topKLifetimes, totalPersistence, wassersteinLoss } from './ops/functionals';
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
} from './ops/functionals';
export { matchDiagrams } from './ops/matching';
export type { DiagramMatching, MatchingOptions } from './ops/matching';
export { topologicalTerm } from './ops/topological-term';
export type { FunctionalConfig, TopologicalTermConfig } from './ops/topological-term';
export { mapLayout } from './ops/layout';
export type { MapLayout } from './ops/layout';
export * from './smear';
export * as layers from './layers/exports-layers';
export * as losses from './layers/exports-losses';
export { optimize } from './layers/optimize';
export { smearedComplexTerm, smearedPointCloudTerm, smearedTerm } from './layers/smeared-term';
export type { OptimizeOptions, OptimizeResult, StepInfo, StepRecord } from './layers/optimize';
