// 'tfjs-topo/node': the parts of the library that only Node can run.
export { createPairingPool } from './pairing-pool';
export type { NodePairingPool, PairingPoolArgs } from './pairing-pool';
