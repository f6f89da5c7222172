import type { DoorId } from '../../../shared/doors/registry.ts';
import type { DoorDefinition } from './door.ts';
import { integraDoor } from './integra/index.ts';
import { linksDoor } from './links/index.ts';
import { listenPortDoor } from './listen-port/index.ts';

/**
 * One door per id in `shared/doors/registry.ts`, started in this order and closed in the
 * reverse. Adding a door: its folder here, its settings section there, one line in each.
 */
export const DOORS: { readonly [Id in DoorId]: DoorDefinition<Id> } = {
  'listen-port': listenPortDoor,
  integra: integraDoor,
  links: linksDoor,
};
