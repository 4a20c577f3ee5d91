import { type ApplyReply, GalleyApply, GalleyDelete, type applyRequest, type deleteRequest } from '@mizzen/contracts';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { z } from 'zod';
import { ApplyService } from './apply.service';

/** `mizzen.galley.apply.v1` and `mizzen.galley.delete.v1`; payloads arrive validated by the transport. */
@Controller()
export class ApplyController {
  constructor(private readonly apply: ApplyService) {}

  @MessagePattern(GalleyApply.subject)
  onApply(@Payload() req: z.infer<typeof applyRequest>): Promise<ApplyReply> {
    return this.apply.apply(req);
  }

  @MessagePattern(GalleyDelete.subject)
  onDelete(@Payload() req: z.infer<typeof deleteRequest>): Promise<ApplyReply> {
    return this.apply.delete(req);
  }
}
