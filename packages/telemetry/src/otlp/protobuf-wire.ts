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

export function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const fields = schema();
  const out: Record<string, unknown> = {};
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const tag = Number(reader.varint());
    const number = tag >>> 3;
    const wireType = tag & 7;
    const field = fields[number];
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    const values =
      wireType === 2 && isPackable(field.type) ? reader.packed(field.type) : [reader.value(wireType, field.type)];
    for (const value of values) {
      if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
      else out[field.name] = value;
    }
  }
  return out;
}

function isPackable(type: ScalarType | Schema): type is ScalarType {
  return typeof type === 'string' && !['string', 'hex', 'base64'].includes(type);
}

class Reader {
  private pos = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  done(): boolean {
    return this.pos >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.bytes.length) throw new Error('protobuf: truncated varint');
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Moves past `length` bytes and returns where they start. */
  private advance(length: number): number {
    if (this.pos + length > this.bytes.length) throw new Error('protobuf: truncated field');
    const at = this.pos;
    this.pos += length;
    return at;
  }

  private take(length: number): Uint8Array {
    const at = this.advance(length);
    return this.bytes.subarray(at, at + length);
  }

  value(wireType: number, type: ScalarType | Schema): unknown {
    if (typeof type === 'function') return decodeMessage(this.take(Number(this.varint())), type);
    switch (wireType) {
      case 0:
        return convert(type, this.varint());
      case 1:
        return convert(type, this.view.getBigUint64(this.advance(8), true));
      case 5:
        return convert(type, BigInt(this.view.getUint32(this.advance(4), true)));
      case 2: {
        const bytes = this.take(Number(this.varint()));
        if (type === 'string') return new TextDecoder().decode(bytes);
        if (type === 'hex') return Buffer.from(bytes).toString('hex');
        return Buffer.from(bytes).toString('base64');
      }
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }

  packed(type: ScalarType): unknown[] {
    const end = this.pos + Number(this.varint());
    const wireType = ['double', 'fixed64', 'sfixed64'].includes(type) ? 1 : type === 'fixed32' ? 5 : 0;
    const values: unknown[] = [];
    while (this.pos < end) values.push(this.value(wireType, type));
    return values;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.advance(Number(this.varint()));
    else if (wireType === 5) this.advance(4);
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
