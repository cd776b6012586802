export { segmentationDataset, segmentationSet } from './segmentation.js';
export type {
  SegmentationDataset,
  SegmentationDatasetOptions,
  SegmentationKind,
  SegmentationOptions,
  SegmentationSet,
  SegmentationSetOptions,
  SegmentationSplit,
} from './segmentation.js';
