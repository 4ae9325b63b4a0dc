import { describe, expect, it } from 'vitest';
import { TestClient, useTestHost, type ChatEventRecord } from '../testing/host-harness.ts';

// The seed's example conversations, on the offline model, through the real API and both real MCP servers.
const env = useTestHost();

const routeOf = (events: ChatEventRecord[]) => events.find((e) => e.event === 'route')?.data.agent;
const toolsOf = (events: ChatEventRecord[]) =>
  events.filter((e) => e.event === 'tool' && e.data.status === 'started').map((e) => e.data.name);
const textOf = (events: ChatEventRecord[]) =>
  events.filter((e) => e.event === 'delta').map((e) => String(e.data.text)).join('');

async function signedIn(customerId = 16) {
  const client = new TestClient(env.host.url);
  await client.login(customerId);
  return client;
}

describe('seed conversations', () => {
  it('answers "What albums does AC/DC have?" from the catalog, streamed', async () => {
    const { events, done } = await (await signedIn()).chat('What albums does AC/DC have?');
    expect(routeOf(events)).toBe('music_expert');
    expect(toolsOf(events)).toEqual(['get_albums_by_artist']);
    expect(events.find((e) => e.event === 'tool')?.data.summary).toBe("Looking up AC/DC's albums…");
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(3);
    expect(textOf(events)).toContain('For Those About To Rock We Salute You');
    expect(textOf(events)).toContain('Let There Be Rock');
    expect(done.reply).toBe(textOf(events));
  });

  it('finds jazz artists, a song, and the genres we carry', async () => {
    const client = await signedIn();
    const jazz = await client.chat('Can you recommend some jazz artists?');
    expect(routeOf(jazz.events)).toBe('music_expert');
    expect(toolsOf(jazz.events)).toEqual(['get_artists_by_genre']);
    expect(textOf(jazz.events)).toMatch(/Miles Davis|Antônio Carlos Jobim|Billie Holiday/);

    const song = await client.chat('Do you have the song "Black Dog"?');
    expect(toolsOf(song.events)).toEqual(['check_for_songs']);
    expect(textOf(song.events)).toContain('Led Zeppelin');
    expect(textOf(song.events)).toMatch(/^Yes, we have it:/);
    // Chinook has no track called exactly "Yesterday": the answer says so before the near matches.
    const near = await client.chat('Do you have the song Yesterday?');
    expect(textOf(near.events)).toMatch(/^We don't have a song called exactly "Yesterday", but these titles match:/);
    expect(textOf(near.events)).toContain("Yesterdays by Guns N' Roses");

    const genres = await client.chat('What genres do you have?');
    expect(toolsOf(genres.events)).toEqual(['list_genres']);
    expect(textOf(genres.events)).toMatch(/Rock/);
    expect(textOf(genres.events)).toMatch(/Jazz/);
  });

  it('says plainly when we do not carry an artist', async () => {
    const { events } = await (await signedIn()).chat('What albums does Taylor Swift have?');
    expect(toolsOf(events)).toEqual(['get_albums_by_artist']);
    expect(textOf(events)).toMatch(/don't carry|do not carry|couldn't find/i);
  });

  it('greets, shows the profile and recent orders of the signed-in customer only', async () => {
    const client = await signedIn(16);
    const hello = await client.chat('Hi there!');
    expect(routeOf(hello.events)).toBe('support_rep');
    expect(toolsOf(hello.events)).toEqual([]);

    const profile = await client.chat('What email do you have on my account?');
    expect(toolsOf(profile.events)).toEqual(['get_customer_profile']);
    expect(textOf(profile.events)).toContain('fharris@google.com');

    const orders = await client.chat('Show me my recent orders');
    expect(routeOf(orders.events)).toBe('support_rep');
    expect(toolsOf(orders.events)).toEqual(['get_invoice']);
    expect(textOf(orders.events)).toMatch(/Invoice \d+/i);
    expect(textOf(orders.events)).not.toMatch(/Invoice 98\b/);
  });

  it('switches topic and continues it on "yes"', async () => {
    const client = await signedIn();
    const first = await client.chat('What albums does AC/DC have?');
    const id = String(first.done.conversationId);
    const orders = await client.chat('Actually, show me my recent orders', id);
    expect(routeOf(orders.events)).toBe('support_rep');
    const music = await client.chat('Do you have any albums by Aerosmith?', id);
    expect(routeOf(music.events)).toBe('music_expert');
    const yes = await client.chat('yes', id);
    expect(routeOf(yes.events)).toBe('music_expert');
    expect(toolsOf(yes.events)).toEqual(['get_tracks_by_artist']);
    expect(textOf(yes.events)).toMatch(/Aerosmith|Dream On|Walk On Water/);
  });
});

describe('conversations', () => {
  it('keeps history across a host restart and keeps it from other customers', async () => {
    const owner = await signedIn(16);
    const { done } = await owner.chat('What albums does AC/DC have?');
    const id = String(done.conversationId);
    await owner.chat('What genres do you have?', id);

    await env.restart();
    const again = new TestClient(env.host.url);
    again.cookie = owner.cookie;
    const view = await again.json<{ messages: Array<{ role: string; agent?: string; tools?: unknown[] }> }>(`/api/conversations/${id}`);
    expect(view.status).toBe(200);
    expect(view.body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(view.body.messages[1]).toMatchObject({ agent: 'music_expert', tools: [expect.objectContaining({ name: 'get_albums_by_artist' })] });
    const listed = await again.json<{ conversations: Array<{ id: string }> }>('/api/conversations');
    expect(listed.body.conversations.map((c) => c.id)).toContain(id);

    const stranger = new TestClient(env.host.url);
    await stranger.login(1);
    expect((await stranger.json(`/api/conversations/${id}`)).status).toBe(404);
    expect((await stranger.request(`/api/conversations/${id}/events`)).status).toBe(404);
    const hijack = await stranger.request('/api/chat', {
      method: 'POST',
      body: JSON.stringify({ message: 'hello', conversationId: id }),
    });
    expect(hijack.status).toBe(404);
    const strangerList = await stranger.json<{ conversations: Array<{ id: string }> }>('/api/conversations');
    expect(strangerList.body.conversations.map((c) => c.id)).not.toContain(id);
  });
});
