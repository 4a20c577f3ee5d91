import { type ConnectRequest, type DisconnectEvent, type HeartbeatEvent, PilotHeartbeat, RegistryConnect, RegistryDisconnect } from '@mizzen/contracts';
import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { RegistrationService } from './registration.service';

/** Registration subjects from Pilot; payloads arrive validated by the transport. */
@Controller()
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @MessagePattern(RegistryConnect.subject)
  onConnect(@Payload() req: ConnectRequest): Promise<{ ok: boolean; error?: string }> {
    return this.registration.connect(req);
  }

  @EventPattern(RegistryDisconnect.subject)
  onDisconnect(@Payload() e: DisconnectEvent): Promise<void> {
    return this.registration.disconnect(e);
  }

  @EventPattern(PilotHeartbeat.subject)
  onHeartbeat(@Payload() e: HeartbeatEvent): Promise<void> {
    return this.registration.heartbeat(e);
  }
}
