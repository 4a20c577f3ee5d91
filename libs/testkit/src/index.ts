export * from './free-port';
export * from './wait-for';
export * from './process';
export * from './nats-server';
