import type { RouteConfig } from '../config/model';
import { deepEqual } from '../util/deep-equal';
import { RouteTable } from './route-table';

/**
 * RDS route configurations by name, compiled. Requests look tables up by name at request time, so
 * an RDS update applies to the next request without touching listeners.
 */
export class RouteStore {
  private readonly tables = new Map<string, RouteTable>();

  get(name: string): RouteTable | undefined {
    return this.tables.get(name);
  }

  has(name: string): boolean {
    return this.tables.has(name);
  }

  /** Sets the configs given (unchanged ones keep their compiled table). */
  apply(configs: ReadonlyMap<string, RouteConfig>): void {
    for (const [name, config] of configs) {
      const cur = this.tables.get(name);
      if (!cur || !deepEqual(cur.config, config)) this.tables.set(name, new RouteTable(config));
    }
  }

  /** Drops configs no listener references any more (RDS unsubscribe). */
  retain(names: ReadonlySet<string>): void {
    for (const n of [...this.tables.keys()]) if (!names.has(n)) this.tables.delete(n);
  }
}
