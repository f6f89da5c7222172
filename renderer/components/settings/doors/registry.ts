import type { ComponentType } from 'react';
import type { DoorStatus } from '../../../../shared/bridge/contract.ts';
import type { DoorId } from '../../../../shared/doors/registry.ts';
import type { SectionProps } from '../section.ts';
import { IntegraSection } from './IntegraSection.tsx';
import { LinksSection } from './LinksSection.tsx';
import { ListenPortSection } from './ListenPortSection.tsx';
import type { DoorFields } from './models.ts';

export interface DoorSectionProps<F extends string> extends SectionProps<F> {
  /** The door as it is now, which can differ from its saved settings; null until known. */
  readonly status: DoorStatus | null;
}

export type DoorSectionComponent<F extends string> = ComponentType<DoorSectionProps<F>>;

/**
 * The Settings form's section for each door, one line per door: a door without its
 * section is a compile error. Its values, request and errors are in ./models.ts.
 */
export const DOOR_SECTIONS: { readonly [Id in DoorId]: DoorSectionComponent<DoorFields[Id]> } = {
  'listen-port': ListenPortSection,
  integra: IntegraSection,
  links: LinksSection,
};
