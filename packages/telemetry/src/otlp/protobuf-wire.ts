/**
 * A schema-driven protobuf decoder, just enough for OTLP export requests (no dependency: the OTLP
 * transformer ships serializers only). Messages decode to plain objects in the OTLP/JSON shape:
 * ids as lowercase hex, 64-bit times and counts as decimal strings, so one normalizer reads both
 * encodings. Unknown fields are skipped, as protobuf requires.
 */

export type ScalarType = 'string' | 'hex' | 'base64' | 'uint' | 'int64' | 'bool' | 'double' | 'fixed64' | 'sfixed64' | 'fixed32';

export interface Field {
  name: string;
  type: ScalarType | Schema;
  repeated?: boolean;
}

/** Field number → field. A function so schemas can refer to each other (AnyValue ↔ KeyValue). */
export type Schema = () => Record<number, Field>;

/** Each schema's fields, built once (a schema is a function only so schemas can refer to each other). */
const resolved = new WeakMap<Schema, Record<number, Field>>();
const fieldsOf = (schema: Schema): Record<number, Field> => {
  let fields = resolved.get(schema);
  if (!fields) resolved.set(schema, (fields = schema()));
  return fields;
};

export function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const reader = new Reader(bytes);
  return reader.message(bytes.length, schema);
}

function store(out: Record<string, unknown>, field: Field, value: unknown): void {
  if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
  else out[field.name] = value;
}

function isPackable(type: ScalarType | Schema): type is ScalarType {
  return typeof type === 'string' && !['string', 'hex', 'base64'].includes(type);
}

/** One reader walks the whole request; a nested message is the range up to its `end` (no copies, no sub-readers). */
class Reader {
  private pos = 0;
  private readonly view: DataView;
  private readonly bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  message(end: number, schema: Schema): Record<string, unknown> {
    const fields = fieldsOf(schema);
    const out: Record<string, unknown> = {};
    while (this.pos < end) {
      const tag = this.smallVarint(end);
      const wireType = tag & 7;
      const field = fields[tag >>> 3];
      if (!field) {
        this.skip(wireType, end);
      } else if (wireType === 2 && isPackable(field.type)) {
        for (const value of this.packed(field.type, end)) store(out, field, value);
      } else {
        store(out, field, this.value(wireType, field.type, end));
      }
    }
    if (this.pos !== end) throw new Error('protobuf: truncated field');
    return out;
  }

  /** A tag or a length: never above 2^32 in a valid message, so plain number arithmetic (no BigInt). */
  private smallVarint(end: number): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= end) throw new Error('protobuf: truncated varint');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error('protobuf: tag or length too large');
  }

  private varint(end: number): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= end) throw new Error('protobuf: truncated varint');
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Moves past `length` bytes (within `end`) and returns where they start. */
  private advance(length: number, end: number): number {
    if (this.pos + length > end) throw new Error('protobuf: truncated field');
    const at = this.pos;
    this.pos += length;
    return at;
  }

  private value(wireType: number, type: ScalarType | Schema, end: number): unknown {
    if (typeof type === 'function') {
      const length = this.smallVarint(end);
      this.advance(length, end);
      this.pos -= length;
      return this.message(this.pos + length, type);
    }
    switch (wireType) {
      case 0:
        return convert(type, this.varint(end));
      case 1:
        return convert(type, this.view.getBigUint64(this.advance(8, end), true));
      case 5:
        return convert(type, BigInt(this.view.getUint32(this.advance(4, end), true)));
      case 2: {
        const length = this.smallVarint(end);
        const at = this.advance(length, end);
        return this.bytes.toString(type === 'string' ? 'utf8' : type === 'hex' ? 'hex' : 'base64', at, at + length);
      }
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }

  private packed(type: ScalarType, end: number): unknown[] {
    const length = this.smallVarint(end);
    const stop = this.advance(length, end) + length;
    this.pos = stop - length;
    const wireType = ['double', 'fixed64', 'sfixed64'].includes(type) ? 1 : type === 'fixed32' ? 5 : 0;
    const values: unknown[] = [];
    while (this.pos < stop) values.push(this.value(wireType, type, stop));
    return values;
  }

  private skip(wireType: number, end: number): void {
    if (wireType === 0) this.varint(end);
    else if (wireType === 1) this.advance(8, end);
    else if (wireType === 2) this.advance(this.smallVarint(end), end);
    else if (wireType === 5) this.advance(4, end);
    else throw new Error(`protobuf: cannot skip wire type ${wireType}`);
  }
}

function convert(type: ScalarType, raw: bigint): unknown {
  switch (type) {
    case 'bool':
      return raw !== 0n;
    case 'int64':
    case 'sfixed64':
      return BigInt.asIntN(64, raw).toString();
    case 'fixed64':
      return raw.toString();
    case 'double': {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, raw, true);
      return view.getFloat64(0, true);
    }
    default:
      return Number(raw);
  }
}
