import { isBusError, type KvStore } from '@mizzen/bus';
import { SecretBucket, type SecretApplyReply, type SecretDeleteReply, type StoredSecret, type secretApplyRequest, type secretDeleteRequest } from '@mizzen/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../platform/clock';
import { parseCredential } from './credential';

export const SECRET_KV = Symbol('SECRET_KV');

/** What the service needs of the `mizzen-secrets` bucket (a {@link KvStore}; narrowed so tests can fake it). */
export type SecretKv = Pick<KvStore, 'get' | 'create' | 'update' | 'delete'>;

const MAX_ATTEMPTS = 5;

/**
 * The credential store behind `meshctl create/delete secret`: validates the material
 * ({@link parseCredential}) and writes `<namespace>/<name>` in `mizzen-secrets` compare-and-set,
 * as kube-apiserver stores a Secret in etcd. A create over an existing name replaces it (a
 * rotation); the same material again is `unchanged` and writes nothing. Logs name the secret and
 * its certificate fingerprint, never the material.
 */
@Injectable()
export class SecretStoreService {
  private readonly logger = new Logger(SecretStoreService.name);

  constructor(
    @Inject(SECRET_KV) private readonly kv: SecretKv,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async apply(req: z.infer<typeof secretApplyRequest>): Promise<SecretApplyReply> {
    const ref = { namespace: req.namespace, name: req.name };
    const parsed = parseCredential(req, this.clock.now());
    if (!parsed.ok) return { ...ref, accepted: false, outcome: 'invalid', errors: parsed.errors };
    const key = SecretBucket.key(req.namespace, req.name);
    const cred = parsed.value;
    for (let attempt = 1; ; attempt++) {
      const cur = await this.kv.get(key);
      const prev = cur && SecretBucket.value(cur.value);
      const old = prev?.ok ? prev.value : undefined;
      const now = new Date(this.clock.now()).toISOString();
      const next: StoredSecret = { ...ref, ...cred, createdAt: old?.createdAt ?? now, updatedAt: now, source: req.source };
      if (old && sameMaterial(old, next)) return { ...ref, accepted: true, outcome: 'unchanged', revision: cur?.revision, summary: cred.summary, errors: [] };
      const outcome = cur ? 'configured' : 'created';
      if (req.dryRun) return { ...ref, accepted: true, outcome, summary: cred.summary, errors: [] };
      try {
        const revision = cur ? await this.kv.update(key, next, cur.revision) : await this.kv.create(key, next);
        this.logger.log(`secret ${key} ${outcome} (${cred.type}, ${cred.dataKeys.join(', ')}${cred.summary.sha256 ? `, certificate sha256 ${cred.summary.sha256.slice(0, 16)}` : ''})`);
        return { ...ref, accepted: true, outcome, revision, summary: cred.summary, errors: [] };
      } catch (err) {
        if (!isBusError(err, 'kv-conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** Deletes and purges the key, so the material leaves the bucket's stream too. */
  async delete(req: z.infer<typeof secretDeleteRequest>): Promise<SecretDeleteReply> {
    const ref = { namespace: req.namespace, name: req.name };
    const key = SecretBucket.key(req.namespace, req.name);
    if (!(await this.kv.get(key))) return { ...ref, outcome: 'not-found' };
    await this.kv.delete(key, { purge: true });
    this.logger.log(`secret ${key} deleted`);
    return { ...ref, outcome: 'deleted' };
  }
}

function sameMaterial(a: StoredSecret, b: StoredSecret): boolean {
  return a.type === b.type && a.certChain === b.certChain && a.privateKey === b.privateKey && a.caCert === b.caCert && a.dataKeys.join() === b.dataKeys.join();
}
