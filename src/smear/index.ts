export { BlockSmear, SMEAR_MEASURES } from './block-smear';
export type { BlockSmearOptions, HostApproximate, SmearMeasure } from './block-smear';
