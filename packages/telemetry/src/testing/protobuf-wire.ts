// Moved to ../otlp/protobuf-wire.ts (the agent host's OTLP receiver uses it too); kept for existing imports.
export * from '../otlp/protobuf-wire.ts';
