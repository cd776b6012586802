export { bettiErrors, bettiNumbers, topologyAccuracy } from './betti.js';
export { bettiMatchingErrors } from './betti-matching-error.js';
export type { BettiComparison } from './betti.js';
export type { HostMaps, MetricOptions } from './inputs.js';
export { clDice, dice } from './overlap.js';
export type { ClDiceParts, DiceOptions } from './overlap.js';
export { skeletonize } from './skeleton.js';
export { segmentationMetrics } from './summary.js';
export type { ExtraMetric, MetricTable, SegmentationMetrics, SegmentationMetricsOptions } from './summary.js';
