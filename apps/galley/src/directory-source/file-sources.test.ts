import { describe, expect, it } from 'vitest';
import { configApiValidator } from '../validation/config-api.validator';
import { validateDocuments } from '../ingest/validate-documents';
import { describeRejection, fileSource, isConfigFile, removedByFile } from './file-sources';

describe('file sources', () => {
  it('recognises config files', () => {
    expect(['a.yaml', 'b.yml', 'c.JSON', 'd/e.yaml'].every(isConfigFile)).toBe(true);
    expect(['a.txt', '.a.yaml', 'a.yaml.swp'].some(isConfigFile)).toBe(false);
  });

  it('names the source by the path relative to the directory', () => {
    expect(fileSource('/etc/mesh', '/etc/mesh/team/a.yaml')).toBe('file:team/a.yaml');
  });

  it('finds the resources a file no longer declares', () => {
    const report = validateDocuments('apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm}\nspec: {address: 10.0.0.1}\n', 'default', configApiValidator);
    expect(removedByFile(new Set(['WorkloadEntry/default/vm', 'WorkloadEntry/default/old']), report.valid)).toEqual(['WorkloadEntry/default/old']);
  });

  it('describes every error of a rejected file', () => {
    const report = validateDocuments('apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm}\nspec: {address: 10.0.0.1, weight: -1}\n---\nfoo: 1\n', 'default', configApiValidator);
    const lines = describeRejection(report);
    expect(lines.some((l) => l.startsWith('WorkloadEntry/default/vm: spec.weight'))).toBe(true);
    expect(lines.some((l) => l.startsWith('documents[1]'))).toBe(true);
  });
});
