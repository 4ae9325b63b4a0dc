// `_meta` keys our host and our MCP servers agree on. Other MCP clients simply do not send or read them.

/** On an elicitation request: structured details for the person deciding (`{ title, key?, facts? }`). */
export const SUMMARY_META_KEY = 'io.algorhythm/summary';

/**
 * On the `tools/call` that carries an elicitation answer: who answered it, as authenticated by the host. A
 * server records it as the approver; a client without it (Claude Desktop, the Inspector) is "the client's user".
 */
export const ANSWERED_BY_META_KEY = 'io.algorhythm/answered-by';
