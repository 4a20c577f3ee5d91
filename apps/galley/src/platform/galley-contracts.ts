import { ContractRegistry } from '@mizzen/bus-nest';
import { GalleyApply, GalleyDelete, PilotHeartbeat, RegistryConnect, RegistryDisconnect } from '@mizzen/contracts';

/** Every subject Galley serves or listens to; the transport refuses handlers for anything else. */
export function galleyContracts(): ContractRegistry {
  return new ContractRegistry([GalleyApply, GalleyDelete, RegistryConnect, RegistryDisconnect, PilotHeartbeat]);
}
