/** Local fake vendor servers for contract, fault and host tests (127.0.0.1, port 0). */
export { startFakeOpenAI, openAIWire } from './fake-openai.ts';
export { startFakeAnthropic, anthropicWire, anthropicStreamError } from './fake-anthropic.ts';
export { startFakeGemini, geminiWire } from './fake-gemini.ts';
export { startFakeServer, splitEvery, splitWords } from './fake-server.ts';
export type { FakeReply, FakeServer, RecordedRequest, Responder, SseEvent } from './fake-server.ts';
export { startVendorFake } from './vendor-fake.ts';
export type { FakeTurn, FaultOptions, VendorFake, VendorWire } from './vendor-fake.ts';
