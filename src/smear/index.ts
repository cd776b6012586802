export { BlockSmear, SMEAR_MEASURES } from './block-smear';
export type { BlockSmearOptions, HostApproximate, SmearMeasure } from './block-smear';
export { criticalSmear, slicedWassersteinTransfer } from './critical-smear';
export type { CriticalSmear, CriticalSmearOptions, CriticalSmearPoint, DiagramPoints } from './critical-smear';
export { blockCover, coverFromSets, graphBallCover, nerve } from './cover';
export type { Cover } from './cover';
export { CoverSmear } from './cover-smear';
export type { CoverSmearOptions } from './cover-smear';
