export { ANSWERED_BY_META_KEY, SUMMARY_META_KEY } from './meta-keys.ts';
export * from './tools/index.ts';
