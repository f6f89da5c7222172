import {
  DOOR_IDS,
  DOOR_LABELS,
  type DoorId,
  type DoorSettings,
} from '../../../../shared/doors/registry.ts';
import type { FieldError } from '../../../../shared/model/settings.ts';
import {
  describeSectionError,
  recordOf,
  type FieldsOf,
  type SectionModel,
  type SectionValues,
  type ShownError,
} from '../section.ts';
import { integraModel } from './integra.ts';
import { linksModel } from './links.ts';
import { listenPortModel } from './listen-port.ts';

/**
 * Each door's form section: its values, its part of the request and its errors. One line
 * per door; a door in shared/doors/registry.ts without a line here is a compile error, and
 * so is one without its component in ./registry.ts.
 */
const MODELS = {
  'listen-port': listenPortModel,
  integra: integraModel,
  links: linksModel,
};

export type DoorFields = { readonly [Id in DoorId]: FieldsOf<(typeof MODELS)[Id]> };

export const DOOR_MODELS: {
  readonly [Id in DoorId]: SectionModel<DoorSettings[Id], DoorFields[Id]>;
} = MODELS;

export type DoorFormValues = { readonly [Id in DoorId]: SectionValues<DoorFields[Id]> };

/** Where a door's section sits in Settings, as the core's error paths spell it. */
export const doorPath = (door: DoorId): string => `doors.${door}`;

const doorValues = <K extends DoorId>(door: K, saved: DoorSettings): SectionValues<DoorFields[K]> =>
  DOOR_MODELS[door].toValues(saved[door]);

export const toDoorValues = (saved: DoorSettings): DoorFormValues =>
  recordOf<DoorFormValues>(DOOR_IDS, (door) => doorValues(door, saved));

/** A copy of every door's values with one door's replaced. */
export const withDoorValues = <K extends DoorId>(
  all: DoorFormValues,
  door: K,
  values: SectionValues<DoorFields[K]>,
): DoorFormValues => ({ ...all, [door]: values });

// Generic, with the door's own entry, so that each door's model meets its own values.
const doorRequest = <K extends DoorId>(
  door: K,
  values: Pick<DoorFormValues, K>,
): Record<string, unknown> => DOOR_MODELS[door].toRequest(values[door]);

export const toDoorsRequest = (
  values: DoorFormValues,
): Readonly<Record<DoorId, Record<string, unknown>>> =>
  recordOf<Readonly<Record<DoorId, Record<string, unknown>>>>(DOOR_IDS, (door) =>
    doorRequest(door, values),
  );

const describeDoorError = <K extends DoorId>(
  door: K,
  values: Pick<DoorFormValues, K>,
  error: FieldError,
): ShownError | null =>
  describeSectionError(
    doorPath(door),
    DOOR_LABELS[door],
    DOOR_MODELS[door].fields,
    values[door],
    error,
  );

export function describeDoorsError(values: DoorFormValues, error: FieldError): ShownError | null {
  for (const door of DOOR_IDS) {
    const shown = describeDoorError(door, values, error);
    if (shown) return shown;
  }
  return null;
}
