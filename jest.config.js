/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One worker per core: jest's default (cores − 1) runs the suite serially on a 2-core machine.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: {
    // The app imports the library by its package name; tests run it on the sources.
    '^tfjs-topo$': '<rootDir>/src/index.ts',
    '^tfjs-topo/persistence$': '<rootDir>/src/persistence/index.ts',
    // Node's worker threads run built JavaScript: the pool is tested as built (npm test builds first).
    '^tfjs-topo/node$': '<rootDir>/app/dist/node/index.js',
    // The library's sources name their imports as the ES-module build needs them (./x.js).
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
