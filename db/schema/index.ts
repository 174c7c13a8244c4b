export * from './users';
export * from './students';
export * from './courses';
export * from './cameras';
export * from './sessions';
export * from './faces';
export * from './audit';
export * from './notifications';
export { float32ToBuffer, bufferToFloat32 } from './columns';
