import { Inject } from '@nestjs/common';
import { BUS } from './bus.constants';

/** `constructor(@InjectBus() private readonly bus: Bus)`. */
export const InjectBus = (): ParameterDecorator => Inject(BUS);
