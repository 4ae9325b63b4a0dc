// Moved to ../otlp/decode.ts (the agent host's OTLP receiver uses it too); kept for existing imports.
export * from '../otlp/decode.ts';
