import { ContractRegistry } from '@mizzen/bus-nest';
import { GalleyApply, GalleyDelete, GalleySecretApply, GalleySecretDelete, PilotHeartbeat, RegistryConnect, RegistryDisconnect } from '@mizzen/contracts';

/** Every subject Galley serves or listens to; the transport refuses handlers for anything else. */
export function galleyContracts(): ContractRegistry {
  return new ContractRegistry([GalleyApply, GalleyDelete, GalleySecretApply, GalleySecretDelete, RegistryConnect, RegistryDisconnect, PilotHeartbeat]);
}
