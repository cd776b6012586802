/** Training kernels for the CPU backends: what `src/index.ts` exports from this floor. */
export { registerTrainingKernels, TRAINING_KERNELS } from './training-kernels.js';
export type {
  TrainingKernel,
  TrainingKernelBackend,
  TrainingKernelName,
  TrainingKernels,
  TrainingKernelsOptions,
} from './training-kernels.js';
