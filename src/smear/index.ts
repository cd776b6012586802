export { BlockSmear, SMEAR_MEASURES } from './block-smear';
export type { BlockSmearOptions, SmearMeasure } from './block-smear';
