/** Loss functions for `model.compile({ loss })`. */
export { topological } from './losses';
export type { BaseLoss, LossFunction, TopologicalLossArgs } from './losses';
