/** The config bucket (`mizzen-config`) as a {@link KvStore}. */
export const CONFIG_KV = Symbol('galley:config-kv');
/** The registry bucket (`mizzen-registry`) as a {@link KvStore}. */
export const REGISTRY_KV = Symbol('galley:registry-kv');
