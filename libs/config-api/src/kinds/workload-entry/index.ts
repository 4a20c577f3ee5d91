import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { workloadEntrySpecSchema } from './schema';
import type { WorkloadEntrySpec } from './types';
import { workloadEntryUnsupportedFields } from './unsupported';
import { validateWorkloadEntry } from './validate';

export * from './types';

export const workloadEntryModule: KindModule<'WorkloadEntry', WorkloadEntrySpec> = defineKind({
  kind: 'WorkloadEntry',
  api: NETWORKING_API,
  nameRule: 'dns1123-subdomain',
  specSchema: workloadEntrySpecSchema,
  validate: validateWorkloadEntry,
  unsupportedFields: workloadEntryUnsupportedFields,
});
