import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { customType, datetime, varchar } from 'drizzle-orm/mysql-core';

/** VARCHAR(36) UUID primary key, generated in the app so inserts know their id. */
export const uuidPk = (name: string) =>
  varchar(name, { length: 36 })
    .primaryKey()
    .$defaultFn(() => randomUUID());

export const uuidRef = (name: string) => varchar(name, { length: 36 });

/** DATETIME(3) in UTC (the pool sets time_zone = '+00:00'). */
export const utcDatetime = (name: string) => datetime(name, { mode: 'date', fsp: 3 });

export const createdAt = () =>
  utcDatetime('created_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`);

export const updatedAt = () =>
  utcDatetime('updated_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdateFn(() => new Date());

/** Binary column read and written as a Buffer (MariaDB and MySQL both return BLOB as Buffer). */
export const blob = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'blob',
});

/**
 * JSON column that also parses on read: MariaDB stores JSON as LONGTEXT and mysql2 hands back a string,
 * whereas MySQL 8 returns an object.
 */
export const jsonColumn = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'json',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T)),
  })(name);

/** Embeddings are stored as little-endian Float32, `dims * 4` bytes. */
export function float32ToBuffer(values: Float32Array | readonly number[]): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i] as number, i * 4);
  return buf;
}

export function bufferToFloat32(buf: Buffer | Uint8Array): Float32Array {
  if (buf.byteLength % 4 !== 0) throw new Error(`embedding has ${buf.byteLength} bytes, not a multiple of 4`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
