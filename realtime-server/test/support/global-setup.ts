import type { TestProject } from 'vitest/node';
import { createTemplate, dropDatabase, uniqueName } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** One migrated, seeded template per run; its name is unique so parallel runs never collide. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = uniqueName('livecrm_tpl');
  await createTemplate(template);
  project.provide('templateDb', template);
  return () => dropDatabase(template);
}
