import { ContractRegistry } from '@mizzen/bus-nest';
import { CitadelRotateRoot, CitadelSign, CitadelToken } from '@mizzen/contracts';

/** Every subject Citadel serves; the transport refuses handlers for anything else. */
export function citadelContracts(): ContractRegistry {
  return new ContractRegistry([CitadelSign, CitadelToken, CitadelRotateRoot]);
}
