import { describe, expect, it } from 'vitest';
import {
  approvalDecidedAttributes,
  chatRequestAttributes,
  chatResponseAttributes,
  executeToolAttributes,
  httpServerAttributes,
  invokeAgentAttributes,
  mcpServerAttributes,
} from './attributes.ts';
import { spanName } from './names.ts';

describe('span names', () => {
  it('follow the conventions’ "{operation} {target}" patterns', () => {
    expect(spanName.chat('gpt-4o-mini')).toBe('chat gpt-4o-mini');
    expect(spanName.invokeAgent('supervisor')).toBe('invoke_agent supervisor');
    expect(spanName.executeTool('get_invoice')).toBe('execute_tool get_invoice');
    expect(spanName.mcpServer('tools/call', 'get_invoice')).toBe('tools/call get_invoice');
    expect(spanName.mcpServer('tools/list')).toBe('tools/list');
    expect(spanName.httpServer('POST', '/api/chat')).toBe('POST /api/chat');
  });
});

describe('attribute builders', () => {
  it('chat request: leaves out what is unknown', () => {
    expect(chatRequestAttributes({ provider: 'offline', requestModel: 'offline', conversationId: 'c1', agentName: 'supervisor', stream: false })).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'offline',
      'gen_ai.request.model': 'offline',
      'gen_ai.conversation.id': 'c1',
      'gen_ai.agent.name': 'supervisor',
      'gen_ai.request.stream': false,
    });
    expect(chatRequestAttributes({ provider: 'openai', requestModel: 'gpt-4o', server: { address: 'api.openai.com', port: 443 }, maxOutputTokens: 512 })).toMatchObject({
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gen_ai.request.max_tokens': 512,
    });
  });

  it('chat response: usage, the raw finish reason and the estimated cost', () => {
    expect(
      chatResponseAttributes({
        id: 'chatcmpl-1',
        model: 'gpt-4o-mini-2024-07-18',
        requestModel: 'gpt-4o-mini',
        finish: { reason: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 },
        timeToFirstChunkSeconds: 0.31,
      }),
    ).toEqual({
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.response.time_to_first_chunk': 0.31,
      'algorhythm.cost.usd': 0.00045,
    });
    const anthropic = chatResponseAttributes({
      requestModel: 'claude-3-5-haiku-latest',
      finish: { reason: 'stop', raw: undefined },
      usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 60, cacheWriteTokens: 0 },
    });
    expect(anthropic['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(anthropic['gen_ai.usage.cache_read.input_tokens']).toBe(60);
    expect(anthropic).not.toHaveProperty('gen_ai.usage.cache_creation.input_tokens');
    expect(chatResponseAttributes({ requestModel: 'my-finetune', usage: { inputTokens: 1, outputTokens: 1 } })).not.toHaveProperty('algorhythm.cost.usd');
  });

  it('execute_tool on the host carries the MCP client attributes', () => {
    expect(
      executeToolAttributes({
        toolName: 'get_invoice',
        callId: 'call_1',
        agentName: 'support_rep',
        mcpServer: 'support',
        mcp: { protocolVersion: '2025-06-18', requestId: 3, transport: 'pipe' },
      }),
    ).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_invoice',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': 'support_rep',
      'algorhythm.mcp.server': 'support',
      'mcp.method.name': 'tools/call',
      'mcp.protocol.version': '2025-06-18',
      'jsonrpc.request.id': '3',
      'network.transport': 'pipe',
    });
  });

  it('MCP server spans set execute_tool only for tool calls', () => {
    expect(mcpServerAttributes({ toolName: 'get_invoice', sessionId: 's1' })).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'mcp.session.id': 's1' });
    expect(mcpServerAttributes({ method: 'tools/list' })).toEqual({ 'mcp.method.name': 'tools/list' });
  });

  it('agents, approvals and HTTP', () => {
    expect(invokeAgentAttributes({ agentName: 'music_expert', conversationId: 'c1' })).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'music_expert',
      'gen_ai.conversation.id': 'c1',
    });
    expect(approvalDecidedAttributes({ approvalId: 'a1', toolName: 'process_refund', outcome: 'approved', waitSeconds: 93.5 })).toEqual({
      'algorhythm.approval.id': 'a1',
      'gen_ai.tool.name': 'process_refund',
      'algorhythm.approval.outcome': 'approved',
      'algorhythm.approval.wait.duration': 93.5,
    });
    expect(httpServerAttributes({ method: 'POST', route: '/api/chat', status: 200 })).toEqual({
      'http.request.method': 'POST',
      'http.route': '/api/chat',
      'http.response.status_code': 200,
    });
  });
});
