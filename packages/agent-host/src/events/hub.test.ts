import { expect, it } from 'vitest';
import { createHub } from './hub.ts';

it('numbers events, delivers them to the topic only, and replays a topic after an id from its ring', async () => {
  const hub = createHub<string>({ keep: 3 });
  const got: Array<[string, number]> = [];
  const off = hub.subscribe('a', (event, id) => got.push([event, id]));
  hub.publish('a', 'one');
  hub.publish('b', 'other');
  hub.publish('a', 'two');
  off();
  hub.publish('a', 'three');
  expect(got).toEqual([['one', 1], ['two', 3]]);
  expect(await hub.since('a', 1)).toEqual([{ id: 3, event: 'two' }, { id: 4, event: 'three' }]);
  // Only the last `keep` events are kept: 'one' fell out of the ring.
  expect(await hub.since('a', 0)).toEqual([{ id: 3, event: 'two' }, { id: 4, event: 'three' }]);
});
