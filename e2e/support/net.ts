/**
 * Ports on 127.0.0.1 for the e2e tests: one another program holds, or one nothing holds.
 * The unit tests of electron/core/ have the same need; their helper is the one copy.
 */
export {
  freePort,
  occupiedPort,
  type OccupiedPort,
} from '../../electron/core/core.test-support.ts';
