/** Loss functions for `model.compile({ loss })`. */
export { labelTopological, topological } from './losses.js';
export type { BaseLoss, LabelTopologicalLossArgs, LossFunction, TopologicalLossArgs } from './losses.js';
