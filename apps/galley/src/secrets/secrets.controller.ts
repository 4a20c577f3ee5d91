import { GalleySecretApply, GalleySecretDelete, type SecretApplyReply, type SecretDeleteReply, type secretApplyRequest, type secretDeleteRequest } from '@mizzen/contracts';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { SecretStoreService } from './secret-store.service';

/** `mizzen.galley.secret.apply.v1` and `mizzen.galley.secret.delete.v1`; payloads arrive validated by the transport. */
@Controller()
export class SecretsController {
  constructor(private readonly secrets: SecretStoreService) {}

  @MessagePattern(GalleySecretApply.subject)
  onApply(@Payload() req: z.infer<typeof secretApplyRequest>): Promise<SecretApplyReply> {
    return this.secrets.apply(req);
  }

  @MessagePattern(GalleySecretDelete.subject)
  onDelete(@Payload() req: z.infer<typeof secretDeleteRequest>): Promise<SecretDeleteReply> {
    return this.secrets.delete(req);
  }
}
