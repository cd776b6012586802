export { cubicalPersistence, CubicalPersistence } from './cubical';
export type { Construction, CubicalOptions } from './cubical';
export { sortedPairOrder } from './diagram';
export type { PersistenceDiagram } from './diagram';
