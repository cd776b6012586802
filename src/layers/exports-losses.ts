/** Loss functions for `model.compile({ loss })`. */
export { topological } from './losses.js';
export type { BaseLoss, LossFunction, TopologicalLossArgs } from './losses.js';
