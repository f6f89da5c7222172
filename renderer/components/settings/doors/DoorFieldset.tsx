import type { DoorsView } from '../../../../shared/bridge/contract.ts';
import { DOOR_LABELS, type DoorId } from '../../../../shared/doors/registry.ts';
import { bindSection, type ShownError } from '../section.ts';
import {
  DOOR_MODELS,
  doorPath,
  withDoorValues,
  type DoorFields,
  type DoorFormValues,
} from './models.ts';
import { DOOR_SECTIONS, type DoorSectionComponent } from './registry.ts';

interface DoorFieldsetProps<K extends DoorId> {
  readonly door: K;
  /** Every door's values: the fieldset takes its own, so that each keeps its own type. */
  readonly values: DoorFormValues;
  readonly statuses: DoorsView | null;
  readonly shown: readonly ShownError[];
  readonly update: (change: (values: DoorFormValues) => DoorFormValues) => void;
}

/** One door's settings, under the door's name, from its section in the registry. */
export function DoorFieldset<K extends DoorId>({
  door,
  values,
  statuses,
  shown,
  update,
}: DoorFieldsetProps<K>) {
  const Section: DoorSectionComponent<DoorFields[K]> = DOOR_SECTIONS[door];
  const field = bindSection(
    doorPath(door),
    DOOR_MODELS[door].fields,
    values[door],
    shown,
    (change) => {
      update((current) => withDoorValues(current, door, change(current[door])));
    },
  );
  return (
    <fieldset className="settings-section" data-door={door}>
      <legend>{DOOR_LABELS[door]}</legend>
      <Section field={field} status={statuses?.[door] ?? null} />
    </fieldset>
  );
}
