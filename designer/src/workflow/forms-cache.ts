// Published definitions of the forms that action nodes write to: the action editor's field
// pickers and the live check read them. Loaded on demand and shared by the whole screen.
import { createContext, useContext } from 'react';
import type { FormDefinition } from '@trellis/core';

export interface FormsCache {
  /** id → definition, or null when the form is missing or not published */
  forms: ReadonlyMap<string, FormDefinition | null>;
  remember(entries: [string, FormDefinition | null][]): void;
}

export const FormsCacheContext = createContext<FormsCache>({ forms: new Map(), remember: () => undefined });
export const useFormsCache = () => useContext(FormsCacheContext);
